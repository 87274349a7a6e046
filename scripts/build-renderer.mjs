// Builds the renderer (renderer/dist) with Vite. With --if-stale it does nothing when the
// build is newer than every source it bundles (renderer, the pure engine modules it imports,
// the protocol), so `npm start` and the browser tests rebuild only after a change.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const sources = [
  'renderer',
  'engine/graph',
  'engine/layers',
  'engine/onnx',
  'engine/train',
  'engine/server/protocol',
  'electron/host-api.ts',
  'package-lock.json',
];

function newestMtime(p) {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const entry of fs.readdirSync(p)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    newest = Math.max(newest, newestMtime(path.join(p, entry)));
  }
  return newest;
}

/** True when renderer/dist is missing or older than a source. */
export function rendererIsStale() {
  const index = path.join(root, 'renderer/dist/index.html');
  if (!fs.existsSync(index)) return true;
  const built = fs.statSync(index).mtimeMs;
  return sources.some((s) => fs.existsSync(path.join(root, s)) && newestMtime(path.join(root, s)) > built);
}

/** Builds the renderer when needed (always without --if-stale). */
export function buildRenderer({ ifStale = false } = {}) {
  if (ifStale && !rendererIsStale()) return false;
  execFileSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildRenderer({ ifStale: process.argv.includes('--if-stale') });
}
