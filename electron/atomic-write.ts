/**
 * Atomic text file writes for saving project files: write a temporary sibling, fsync, rename
 * over the target, so a crash mid-save never leaves a half-written project where the old one
 * was. (The engine has its own sync helper; electron/ does not import engine internals.)
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/** Writes `text` (UTF-8) to `file` atomically; the temporary file is removed on failure. */
export async function writeTextAtomic(file: string, text: string): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(tmp, 'wx');
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}
