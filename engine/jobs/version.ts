/** Layerloom's own version, read once from package.json (written into exported models). */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/** The version field of the project's package.json. */
export function layerloomVersion(): string {
  if (!cached) {
    const pkg = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../package.json');
    cached = (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { version: string }).version;
  }
  return cached;
}
