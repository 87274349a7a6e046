/**
 * What a client of the engine server may read and write. Every protocol method that takes a
 * path goes through one {@link ClientPaths}: the engine's token is held by any page of the
 * designer, so a path from a client is treated as hostile until it is shown to lie under a
 * folder the user chose.
 *
 * - **Grants**: the data folder, the folders given with `layerloom serve --allow-dir DIR`
 *   (the user's home is not granted by default), and single files the user picked in an
 *   Electron native save dialog (ONNX export). A dialog pick reaches the engine as an HMAC of the path under a
 *   per-launch key that only the Electron main process and the engine hold
 *   (`LAYERLOOM_GRANT_KEY`): a page cannot mint a grant for a path of its own.
 * - **Writes**: absolute paths only, no `..`, the expected extension, never through a symlink,
 *   never over an existing file unless the request says `overwrite: true` (a dialog pick has
 *   confirmed the overwrite already), and missing folders are created only inside the data
 *   folder.
 * - **Reads**: only dataset files (by extension; an image folder is a folder), resolved
 *   through symlinks before the check, so a link out of a granted folder is refused.
 * - **Errors** say that a path is outside the grants with the same words whether or not it
 *   exists, and name only the path the client sent: nothing of a foreign file is read.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { printable } from '../util/printable.js';
import { CallError } from './dispatcher.js';

/** What a grant from a native dialog allows (only writes so far: the export dialogs). */
export type GrantMode = 'write';

/**
 * The grant token for `file` under `key`: hex HMAC-SHA256 of `mode:absolute path`.
 * electron/grants.ts computes the same value (electron/ never links engine code).
 */
export function grantToken(key: string, mode: GrantMode, file: string): string {
  return crypto
    .createHmac('sha256', key)
    .update(`${mode}:${path.resolve(file)}`)
    .digest('hex');
}

/** How the engine was started: which folders clients may use. */
export interface ClientPathOptions {
  dataDir: string;
  /** `--allow-dir` folders. */
  allowDirs?: string[];
  /** Key of native-dialog grants (Electron); none in web mode. */
  grantKey?: string;
}

/** A write request: where, of what kind, and whether it may replace a file. */
export interface WriteRequest {
  /** The protocol field the path came in (named in errors). */
  field: string;
  /** Required extension, lower case with its dot (`.onnx`). */
  extension: string;
  overwrite?: boolean;
  /** Token of a native-dialog pick of this exact path. */
  grant?: string;
}

/** A read request for one dataset file or folder. */
export interface ReadRequest {
  field: string;
  /** `file`: a regular file whose name matches `pattern`; `folder`: a directory. */
  kind: 'file' | 'folder';
  pattern?: RegExp;
  /** Human words for the expected names, e.g. `a .csv file`. */
  expected: string;
}

/** `p` as a message may show it: JSON-quoted, so control characters and bidi controls are escaped. */
export function quotePath(p: string): string {
  return printable(JSON.stringify(p));
}

/** True when `child` is `dir` or lies inside it (both already resolved). */
function within(dir: string, child: string): boolean {
  const rel = path.relative(dir, child);
  return rel === '' || (!rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel));
}

/** The real path of `p`'s deepest existing ancestor joined with the rest (symlinks resolved). */
function realPrefix(p: string): string {
  let head = p;
  const tail: string[] = [];
  for (;;) {
    try {
      return path.join(fs.realpathSync(head), ...tail.reverse());
    } catch {
      const up = path.dirname(head);
      if (up === head) return p;
      tail.push(path.basename(head));
      head = up;
    }
  }
}

/** Decides what clients may read and write; one per server. */
export class ClientPaths {
  readonly dataDir: string;
  /** Granted folders, real paths: the data folder first. */
  readonly folders: readonly string[];
  private readonly grantKey: string | undefined;

  constructor(opts: ClientPathOptions) {
    this.dataDir = realPrefix(path.resolve(opts.dataDir));
    const extra = (opts.allowDirs ?? []).map((d) => {
      if (!path.isAbsolute(d)) throw new Error(`--allow-dir must be an absolute path, got ${quotePath(d)}`);
      const st = fs.statSync(d, { throwIfNoEntry: false });
      if (!st?.isDirectory()) throw new Error(`--allow-dir ${quotePath(d)} is not an existing folder`);
      return fs.realpathSync(d);
    });
    this.folders = [this.dataDir, ...extra];
    this.grantKey = opts.grantKey || undefined;
  }

  /** The words of every refusal of a path outside the grants (the same whether it exists or not). */
  private outside(given: string, field: string, verb: 'read' | 'write'): CallError {
    return new CallError(
      'bad-params',
      `${quotePath(given)} is outside the folders this engine may ${verb} for clients (the data folder and folders granted with \`layerloom serve --allow-dir DIR\`; in the desktop app, files picked in its dialogs)`,
      { field },
    );
  }

  /** Refuses relative paths and `..` segments: both make the target depend on something else than the text. */
  private absolute(given: string, field: string): string {
    if (given.includes('\0')) throw new CallError('bad-params', `${quotePath(given)} contains a NUL character`, { field });
    if (!path.isAbsolute(given)) {
      throw new CallError(
        'bad-params',
        `${quotePath(given)} is a relative path; clients must give absolute paths (a relative one would land in the engine's working folder)`,
        { field },
      );
    }
    if (given.split(/[\\/]/).includes('..')) throw new CallError('bad-params', `${quotePath(given)} contains "..": give the folder itself`, { field });
    return path.resolve(given);
  }

  private granted(mode: GrantMode, file: string, grant: string | undefined): boolean {
    if (!grant || !this.grantKey) return false;
    const want = Buffer.from(grantToken(this.grantKey, mode, file), 'hex');
    const got = Buffer.from(grant, 'hex');
    return got.length === want.length && crypto.timingSafeEqual(got, want);
  }

  private inFolders(real: string): string | undefined {
    return this.folders.find((f) => within(f, real));
  }

  /**
   * Checks a client's target for a file the engine will write, creates its folder when that
   * lies in the data folder, and returns the path to write (symlinks of its folders resolved).
   */
  writable(given: string, req: WriteRequest): string {
    const abs = this.absolute(given, req.field);
    if (!abs.toLowerCase().endsWith(req.extension)) {
      throw new CallError('bad-params', `${quotePath(given)} must end in ${req.extension}`, { field: req.field });
    }
    const picked = this.granted('write', abs, req.grant);
    const real = path.join(realPrefix(path.dirname(abs)), path.basename(abs));
    const folder = this.inFolders(real);
    if (!picked && !folder) throw this.outside(given, req.field, 'write');
    const dir = path.dirname(real);
    if (!fs.existsSync(dir)) {
      if (!within(this.dataDir, dir)) {
        throw new CallError('bad-params', `the folder of ${quotePath(given)} does not exist; the engine creates folders only inside its data folder`, {
          field: req.field,
        });
      }
      fs.mkdirSync(dir, { recursive: true });
    }
    const st = fs.lstatSync(real, { throwIfNoEntry: false });
    if (st?.isSymbolicLink())
      throw new CallError('bad-params', `${quotePath(given)} is a symbolic link; the engine does not write through links`, { field: req.field });
    if (st && !st.isFile()) throw new CallError('bad-params', `${quotePath(given)} exists and is not a file`, { field: req.field });
    if (st && !req.overwrite && !picked) {
      throw new CallError('bad-params', `${quotePath(given)} exists; pass overwrite: true to replace it`, { field: req.field });
    }
    return real;
  }

  /** Checks a client's dataset file or folder before any byte of it is read; returns its real path. */
  readable(given: string, req: ReadRequest): string {
    const abs = this.absolute(given, req.field);
    if (req.kind === 'file' && req.pattern && !req.pattern.test(path.basename(abs))) {
      throw new CallError('bad-params', `${quotePath(given)} is not named like ${req.expected}`, { field: req.field });
    }
    const real = realPrefix(abs);
    if (!this.inFolders(real)) throw this.outside(given, req.field, 'read');
    // Inside the grants a missing file may be reported as such: the user owns these folders.
    const st = fs.statSync(real, { throwIfNoEntry: false });
    if (!st) throw new CallError('bad-params', `${quotePath(given)} does not exist`, { field: req.field });
    if (req.kind === 'file' && !st.isFile()) throw new CallError('bad-params', `${quotePath(given)} is not a file`, { field: req.field });
    if (req.kind === 'folder' && !st.isDirectory()) throw new CallError('bad-params', `${quotePath(given)} is not a folder`, { field: req.field });
    return real;
  }
}
