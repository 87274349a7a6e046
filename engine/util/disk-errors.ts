/**
 * A full or read-only disk as an error a user can act on: the path that could not be written
 * and the cause by its errno name (ENOSPC, EROFS, EACCES, …). SQLite reports the same causes
 * in its own words ("database or disk is full", "unable to open database file") without a
 * path; those are mapped back to an errno by probing the folder.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Errno codes of storage that refuses writes, in words. */
const CAUSES: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exhausted',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EIO: 'an input/output error of the device',
};

/** A storage failure with the path and the errno-style cause. */
export class DiskError extends Error {
  override name = 'DiskError';
  constructor(
    /** The errno name: ENOSPC, EROFS, EACCES, … */
    readonly code: string,
    /** The file or folder that could not be written. */
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** True when `e` is an fs error of a storage cause this module names. */
export function isDiskErrno(e: unknown): e is NodeJS.ErrnoException {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && code in CAUSES;
}

/** `e` (an fs error) as a DiskError naming `file` and what was being done; other errors unchanged. */
export function diskError(e: unknown, file: string, doing: string): unknown {
  if (e instanceof DiskError || !isDiskErrno(e)) return e;
  const code = e.code!;
  return new DiskError(code, file, `cannot ${doing} ${file}: ${CAUSES[code]} (${code})`, { cause: e });
}

/**
 * Why `dir` cannot be written, as an errno name: probes it with an access check and the free
 * space, since SQLite does not say. Undefined when it looks writable.
 */
export function probeWritable(dir: string): string | undefined {
  let probe = dir;
  while (!fs.existsSync(probe) && path.dirname(probe) !== probe) probe = path.dirname(probe);
  try {
    fs.accessSync(probe, fs.constants.W_OK);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? 'EACCES';
  }
  try {
    const st = fs.statfsSync(probe);
    // A few blocks is "full" in practice: SQLite and the checkpoints need far more.
    if (st.bavail * st.bsize < 64 * 1024) return 'ENOSPC';
  } catch {
    // statfs is missing on some platforms: no verdict on space.
  }
  return undefined;
}

/** SQLite result codes that mean the storage refused (better-sqlite3's `SqliteError.code`). */
const SQLITE_STORAGE = /^SQLITE_(FULL|CANTOPEN|READONLY|IOERR|PERM)/;

/**
 * `e` from SQLite (or fs) as a DiskError naming the database file of `dataDir` and the cause;
 * errors that are not about storage come back unchanged.
 */
export function storageError(e: unknown, dbFile: string): unknown {
  if (e instanceof DiskError) return e;
  if (isDiskErrno(e)) return diskError(e, (e as NodeJS.ErrnoException).path ?? dbFile, 'write');
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !SQLITE_STORAGE.test(code)) return e;
  const cause = code.startsWith('SQLITE_FULL') ? 'ENOSPC' : (probeWritable(path.dirname(dbFile)) ?? (code.startsWith('SQLITE_READONLY') ? 'EROFS' : 'EIO'));
  const said = (e as Error).message;
  return new DiskError(cause, dbFile, `cannot write the run database ${dbFile}: ${CAUSES[cause] ?? cause} (${cause}; SQLite: ${said})`, { cause: e });
}
