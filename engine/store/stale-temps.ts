/**
 * Temporary files of atomic writes left by a killed process: a kill -9 during a checkpoint
 * write leaves `last.ckpt.tmp-<pid>-<hex>` (possibly 0 bytes, possibly most of a disk) that no
 * one would ever delete. Each name carries its writer's pid, so at the next start the engine
 * removes the ones whose process is gone; a live writer's files are left alone.
 */
import fs from 'node:fs';
import path from 'node:path';
import { processAlive } from '../util/process.js';

/** Temp file names of this codebase's writers, with the writer's pid as group 1. */
const TEMP_FILES = [
  /\.ckpt\.tmp-(\d+)-[0-9a-f]+$/, // checkpoints (engine/train/checkpoint.ts)
  /^\..+\.(\d+)\.tmp$/, // writeFileAtomic (engine/util/atomic.ts)
  /\.loom\.json\.(\d+)\.tmp$/, // project saves of earlier versions
];
/** Temp folders of writeDirAtomic. */
const TEMP_DIRS = [/\.(\d+)\.tmp$/];

/** How deep under the data folder to look: runs/<id>/, searches/<id>/, exports/, projects/. */
const MAX_DEPTH = 3;

/** The pid a temp file (or folder) name belongs to, or null when it is not one of ours. */
export function tempOwner(name: string, isDir = false): number | null {
  for (const re of isDir ? TEMP_DIRS : TEMP_FILES) {
    const m = re.exec(name);
    if (m) return Number(m[1]);
  }
  return null;
}

/**
 * Removes temp files and folders under `dataDir` whose writing process is no longer alive.
 * Returns the paths removed. Never throws: cleaning is best effort (a read-only disk keeps
 * its files, and the caller reports the real problem when it writes).
 */
export function removeStaleTemps(dataDir: string, isAlive: (pid: number) => boolean = processAlive): string[] {
  const removed: string[] = [];
  const visit = (dir: string, depth: number) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const full = path.join(dir, e.name);
      const pid = tempOwner(e.name, e.isDirectory());
      if (pid !== null && pid !== process.pid && !isAlive(pid)) {
        try {
          fs.rmSync(full, { recursive: true, force: true });
          removed.push(full);
        } catch {
          // Best effort: see above.
        }
      } else if (e.isDirectory() && depth < MAX_DEPTH) {
        visit(full, depth + 1);
      }
    }
  };
  visit(dataDir, 0);
  return removed;
}
