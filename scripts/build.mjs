// `npm run build`: the self-contained engine in dist/ (or --outdir DIR), runnable with plain
// Node and production dependencies only, no TypeScript sources and no tsx:
//   dist/{cli,engine,nas}/**.js    tsc -p tsconfig.build.json (tests and *.testkit.ts excluded)
//   dist/bin/layerloom.js          the CLI launcher
//   dist/engine/server/jobs/job-launcher.js, dist/nas/runner/worker-launcher.js
//                                  the forked process entries, importing the compiled modules
//   dist/engine/data/embedded/     the data files tsc does not copy (digits.csv.gz)
// The launchers are written at the paths dist/engine/app-paths.js resolves for a build, so
// the one paths module and this script cannot disagree. dist/electron/ (electron/build.mjs)
// is left alone.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The compiled launchers: the same job as the checkout's, minus tsx. */
const launchers = {
  cliScript: [
    '#!/usr/bin/env node',
    '// The `layerloom` CLI of the build (written by scripts/build.mjs): compiled JavaScript, no tsx.',
    "const { main } = await import('../cli/main.js');",
    'process.exitCode = await main(process.argv.slice(2));',
  ],
  jobLauncher: ['// Entry point of an engine job process in the build (written by scripts/build.mjs).', "await import('./job-process.js');"],
  workerLauncher: ['// Entry point of a search worker process in the build (written by scripts/build.mjs).', "await import('./worker.js');"],
};

/** Files that must never be in the build, and imports the build must not make. */
const forbiddenFile = /\.(test|testkit)\.js$/;
const forbiddenImport = /(?:from\s*|import\s*\(\s*)['"](tsx(?:\/[^'"]*)?|vitest|[^'"]*\.ts)['"]/;

function* walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(p);
    else yield p;
  }
}

/** Builds the engine into `outDir` (default dist/); returns the files it checked. */
export async function buildEngine(outDir = path.join(root, 'dist')) {
  // Everything but dist/electron/ (electron/build.mjs's) goes: a stale file from an earlier
  // build or a stray `tsc -p tsconfig.json` would otherwise be packed into the app.
  if (fs.existsSync(outDir))
    for (const entry of fs.readdirSync(outDir)) if (entry !== 'electron') fs.rmSync(path.join(outDir, entry), { recursive: true, force: true });
  execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json'), '--outDir', outDir], {
    cwd: root,
    stdio: 'inherit',
  });
  const { layoutFor } = await import(pathToFileURL(path.join(outDir, 'engine', 'app-paths.js')).href);
  const layout = layoutFor(path.join(outDir, 'engine', 'app-paths.js'));
  if (!layout.compiled || path.resolve(layout.codeRoot) !== path.resolve(outDir))
    throw new Error(`scripts/build.mjs: app-paths resolves the build's code root to ${layout.codeRoot}, expected ${outDir}`);
  for (const [key, lines] of Object.entries(launchers)) {
    fs.mkdirSync(path.dirname(layout[key]), { recursive: true });
    fs.writeFileSync(layout[key], lines.join('\n') + '\n', { mode: 0o755 });
  }
  fs.cpSync(path.join(root, 'engine', 'data', 'embedded'), path.join(outDir, 'engine', 'data', 'embedded'), { recursive: true });
  const files = [...walk(outDir)].filter((f) => !f.startsWith(path.join(outDir, 'electron') + path.sep));
  for (const f of files) {
    if (forbiddenFile.test(f))
      throw new Error(`scripts/build.mjs: ${path.relative(outDir, f)} is a test file and must not be built (tsconfig.build.json excludes them)`);
    if (!f.endsWith('.js')) continue;
    const m = fs.readFileSync(f, 'utf8').match(forbiddenImport);
    if (m) throw new Error(`scripts/build.mjs: ${path.relative(outDir, f)} imports '${m[1]}', which a build without sources and devDependencies cannot load`);
  }
  return files;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { outdir: { type: 'string' } } });
  const outDir = values.outdir === undefined ? undefined : path.resolve(values.outdir);
  const files = await buildEngine(outDir);
  process.stdout.write(
    `engine: built ${files.filter((f) => f.endsWith('.js')).length} modules in ${path.relative(process.cwd(), outDir ?? path.join(root, 'dist')) || '.'}\n`,
  );
}
