/**
 * Grants for paths the user picked in a native save dialog. The engine confines what pages
 * may write (engine/server/client-paths.ts) to its data folder and `--allow-dir` folders; a
 * path from a save dialog is outside those, so main signs it with a key only main and the
 * engine hold (passed as LAYERLOOM_GRANT_KEY at launch). A page gets the signature of the path
 * the user picked and nothing it could reuse for a path of its own.
 */
import { createHmac, randomBytes } from 'node:crypto';
import path from 'node:path';

/** A fresh per-session grant key. */
export function newGrantKey(): string {
  return randomBytes(32).toString('hex');
}

/**
 * The grant of a write to `file`: hex HMAC-SHA256 of `write:<absolute path>`, the same as the
 * engine's `grantToken` (electron/ never links engine code; tests/server/client-paths.test.ts
 * checks that both agree).
 */
export function writeGrant(key: string, file: string): string {
  return createHmac('sha256', key)
    .update(`write:${path.resolve(file)}`)
    .digest('hex');
}
