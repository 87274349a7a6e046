/** Layerloom's own version, read once from package.json (written into exported models). */
import fs from 'node:fs';
import { appPaths } from '../app-paths.js';

let cached: string | undefined;

/** The version field of the project's package.json. */
export function layerloomVersion(): string {
  if (!cached) {
    cached = (JSON.parse(fs.readFileSync(appPaths.packageJson, 'utf8')) as { version: string }).version;
  }
  return cached;
}
