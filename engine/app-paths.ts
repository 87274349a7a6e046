/**
 * Where the app's parts are: the one module that resolves the renderer build, the examples,
 * package.json, the CLI launcher and the two process launchers. Everything else asks here.
 *
 * Two layouts, told apart by this module's own file name:
 * - checkout: `<root>/engine/app-paths.ts`, run through tsx; the code lives at `<root>` and the
 *   launchers register tsx before importing `.ts` sources.
 * - build (`npm run build`, and the packaged app, which packs the same tree):
 *   `<root>/dist/engine/app-paths.js`; the code lives at `<root>/dist` and the launchers are
 *   plain JavaScript that import the compiled modules, so neither sources nor tsx are needed.
 * In both, the non-code parts sit at `<root>`: `examples/`, `renderer/dist/`, `package.json`.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Paths of one layout; {@link appPaths} is the running one. */
export interface AppPaths {
  /** True when running the compiled build (dist/), false when running sources through tsx. */
  compiled: boolean;
  /** The repository or package root: examples/, renderer/dist/, package.json. */
  root: string;
  /** Where cli/, engine/ and nas/ are: the root in a checkout, root/dist in a build. */
  codeRoot: string;
  examplesDir: string;
  rendererDist: string;
  packageJson: string;
  /** The `layerloom` CLI launcher, run with process.execPath (search runs, estimates). */
  cliScript: string;
  /** Forked per training job (engine/server/jobs/train-jobs.ts). */
  jobLauncher: string;
  /** Forked per search worker (nas/runner/pool.ts). */
  workerLauncher: string;
}

/**
 * The layout for a module file at `moduleFile` (this module's own path, `<codeRoot>/engine/
 * app-paths.{ts,js}`). Exported so tests can check both layouts from one checkout.
 */
export function layoutFor(moduleFile: string): AppPaths {
  const compiled = moduleFile.endsWith('.js');
  const codeRoot = path.resolve(path.dirname(moduleFile), '..');
  const root = compiled ? path.dirname(codeRoot) : codeRoot;
  return {
    compiled,
    root,
    codeRoot,
    examplesDir: path.join(root, 'examples'),
    rendererDist: path.join(root, 'renderer', 'dist'),
    packageJson: path.join(root, 'package.json'),
    cliScript: path.join(codeRoot, 'bin', 'layerloom.js'),
    jobLauncher: path.join(codeRoot, 'engine', 'server', 'jobs', 'job-launcher.js'),
    workerLauncher: path.join(codeRoot, 'nas', 'runner', 'worker-launcher.js'),
  };
}

/** The running app's paths. */
export const appPaths: AppPaths = layoutFor(fileURLToPath(import.meta.url));
