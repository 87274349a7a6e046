/**
 * Vitest global setup: builds the renderer when its sources are newer than renderer/dist,
 * so browser tests always exercise the current code (and CI builds it once).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'dist') newest = Math.max(newest, newestMtime(full));
    } else newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** True when renderer/dist is missing or older than any renderer, protocol or layer source. */
export function rendererIsStale(): boolean {
  const index = path.join(root, 'renderer/dist/index.html');
  if (!fs.existsSync(index)) return true;
  const built = fs.statSync(index).mtimeMs;
  return ['renderer', 'engine/graph', 'engine/layers', 'engine/server/protocol', 'electron/host-api.ts'].some((p) => {
    const full = path.join(root, p);
    return fs.statSync(full).isDirectory() ? newestMtime(full) > built : fs.statSync(full).mtimeMs > built;
  });
}

/** Builds the renderer if stale. */
export default function setup(): void {
  if (!rendererIsStale()) return;
  execFileSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
}
