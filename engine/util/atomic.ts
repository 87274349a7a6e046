/**
 * Atomic file output: write to a temporary sibling, fsync, then rename over the target, so a
 * crash or an error never leaves a partial file where the user expects a complete one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { diskError } from './disk-errors.js';

/**
 * Writes `data` to `file` atomically. On any failure (a full or read-only disk) the temporary
 * file is removed and the error names `file` and its cause (DiskError).
 */
export function writeFileAtomic(file: string, data: Uint8Array | string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    const fd = fs.openSync(tmp, 'w');
    try {
      fs.writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw diskError(e, file, 'write');
  }
}

/**
 * Fills a fresh temporary sibling folder with `fill`, then renames it to `dir` (replacing an
 * existing folder of that name only once the new one is complete).
 */
export async function writeDirAtomic(dir: string, fill: (tmpDir: string) => Promise<void>): Promise<void> {
  const tmp = `${dir}.${process.pid}.tmp`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  try {
    await fill(tmp);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(tmp, dir);
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}
