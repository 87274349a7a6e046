/**
 * Small helpers shared by the dataset loaders: error construction with file/position,
 * gzip sniffing, shape arithmetic and a consistent file read.
 */
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { DataError } from './types.js';

/**
 * Builds a DataError whose message starts with `file (position)`, so a user reading only
 * the message can find the fault without looking at the error's fields.
 */
export function dataError(file: string, position: string | undefined, message: string): DataError {
  const where = position ? `${file} (${position})` : file;
  return new DataError(`${where}: ${message}`, file, position);
}

/** Product of a shape's dimensions (1 for `[]`). */
export function shapeSize(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** True when the bytes start with the gzip magic 0x1f 0x8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Reads a file, turning I/O failures into DataErrors that name it, and transparently
 * gunzips it when the content (not the extension) says gzip: users rename files freely.
 */
export async function readMaybeGzip(file: string): Promise<Uint8Array> {
  const raw = await readBytes(file);
  if (!isGzip(raw)) return raw;
  try {
    return gunzipSync(raw);
  } catch (e) {
    throw dataError(file, 'byte 0', `corrupt gzip stream: ${(e as Error).message}`);
  }
}

/** Reads a file as bytes; a missing or unreadable file becomes a DataError naming it. */
export async function readBytes(file: string): Promise<Uint8Array> {
  try {
    return await readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'EIO';
    throw dataError(file, undefined, `cannot read file (${code})`);
  }
}

/** Largest value + 1 of integer class ids, used to infer the class count. */
export function maxClassPlusOne(y: Float32Array): number {
  let m = -1;
  for (let i = 0; i < y.length; i++) if (y[i] > m) m = y[i];
  return m + 1;
}
