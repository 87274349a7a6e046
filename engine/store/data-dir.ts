/**
 * Where Layerloom keeps its database, checkpoints and exports: `--data-dir`, else
 * `LAYERLOOM_DATA_DIR`, else the platform's per-user app-data folder.
 */
import os from 'node:os';
import path from 'node:path';

/** The default data folder for this platform. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.LAYERLOOM_DATA_DIR) return env.LAYERLOOM_DATA_DIR;
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Layerloom');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Layerloom');
  return path.join(env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'), 'layerloom');
}
