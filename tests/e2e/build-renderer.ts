/**
 * Vitest global setup: rebuilds the renderer when its sources are newer than renderer/dist
 * (scripts/build-renderer.mjs --if-stale), so browser tests always exercise the current code.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Builds the renderer if stale. */
export default function setup(): void {
  execFileSync(process.execPath, [path.join(root, 'scripts/build-renderer.mjs'), '--if-stale'], { cwd: root, stdio: 'inherit' });
}
