/**
 * Where the app's parts are, from the folder of the built main.js (dist/electron/), and how
 * the engine is launched. The same relative layout holds in a checkout and inside a packaged
 * app.asar, so only the launch strategy differs between the two.
 */
import path from 'node:path';
import { APP_ORIGIN } from './app-protocol.js';

/** How to launch the engine. */
export type EngineLaunch =
  /** System Node on the CLI launcher (development: native modules built for system Node). */
  | { kind: 'node'; nodePath: string; script: string; cwd: string }
  /** Electron utility process on the compiled engine (packaged: modules rebuilt for Electron). */
  | { kind: 'utility'; modulePath: string };

/** The app's files and engine launch. */
export interface AppLayout {
  rootDir: string;
  rendererDir: string;
  preloadPath: string;
  engine: EngineLaunch;
  /** Arguments of `layerloom serve` for every launch. */
  engineArgs: string[];
}

/** Inputs: main.js's folder, whether the app is packaged, and the environment. */
export interface LayoutInputs {
  mainDir: string;
  isPackaged: boolean;
  env: Record<string, string | undefined>;
}

/**
 * The layout. Environment overrides, for development and diagnosis:
 * LAYERLOOM_ENGINE_LAUNCH=node|utility (force a strategy), LAYERLOOM_NODE (the Node binary,
 * default `node` on PATH), LAYERLOOM_DATA_DIR (the engine's --data-dir).
 */
export function appLayout({ mainDir, isPackaged, env }: LayoutInputs): AppLayout {
  const rootDir = path.resolve(mainDir, '..', '..');
  const forced = env.LAYERLOOM_ENGINE_LAUNCH;
  const useUtility = forced === 'utility' || (forced !== 'node' && isPackaged);
  const engine: EngineLaunch = useUtility
    ? { kind: 'utility', modulePath: path.join(mainDir, 'engine-entry.js') }
    : { kind: 'node', nodePath: env.LAYERLOOM_NODE || 'node', script: path.join(rootDir, 'bin', 'layerloom.js'), cwd: rootDir };
  const dataDir = env.LAYERLOOM_DATA_DIR;
  return {
    rootDir,
    rendererDir: path.join(rootDir, 'renderer', 'dist'),
    preloadPath: path.join(mainDir, 'preload.cjs'),
    engine,
    engineArgs: ['serve', '--port', '0', '--json', '--allow-origin', APP_ORIGIN, ...(dataDir ? ['--data-dir', dataDir] : [])],
  };
}
