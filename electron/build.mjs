// Builds the Electron shell into dist/electron/ with esbuild:
//   main.js          ESM (the package is "type": "module"), the main process
//   preload.cjs      CommonJS, one file: a sandboxed preload can require only 'electron'
//   engine-entry.js  ESM, the engine's utility-process entry in a packaged app
// Run: node electron/build.mjs [--outdir DIR]. Imported (scripts/start.mjs does), it builds
// into dist/electron/ and leaves the importer's command line alone.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Builds main, preload and engine entry into `outdir` (default dist/electron). */
export async function buildElectron(outdir = path.join(here, '..', 'dist', 'electron')) {
  const common = { bundle: true, external: ['electron'], sourcemap: true, target: 'es2023', logLevel: 'warning' };
  const out = (name) => path.join(outdir, name);
  await Promise.all([
    build({ ...common, entryPoints: [path.join(here, 'main.ts')], outfile: out('main.js'), platform: 'node', format: 'esm' }),
    build({ ...common, entryPoints: [path.join(here, 'engine-entry.ts')], outfile: out('engine-entry.js'), platform: 'node', format: 'esm' }),
    // platform 'browser': the sandboxed preload has no Node built-ins, so none may be bundled.
    build({ ...common, entryPoints: [path.join(here, 'preload.ts')], outfile: out('preload.cjs'), platform: 'browser', format: 'cjs' }),
  ]);
  return outdir;
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
const { values } = isMain ? parseArgs({ options: { outdir: { type: 'string' } } }) : { values: {} };
const outdir = await buildElectron(values.outdir === undefined ? undefined : path.resolve(values.outdir));
process.stdout.write(`electron: built main.js, preload.cjs, engine-entry.js in ${path.relative(process.cwd(), outdir) || '.'}\n`);
