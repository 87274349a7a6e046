/**
 * NumPy .npy loader: `npy:FEATURES.npy,LABELS.npy[,TEST_FEATURES.npy,TEST_LABELS.npy]`.
 * Supports format versions 1-3, C order only, and the common numeric dtypes in either byte
 * order. The features' shape after the first axis becomes `inputShape`.
 */
import { dataError, readMaybeGzip, shapeSize } from './common.js';
import type { Dataset } from './types.js';

/** A decoded .npy array with values converted to float32. */
export interface NpyArray {
  /** The descr string as written, e.g. `<f4`. */
  descr: string;
  /** Kind letter: f float, i signed, u unsigned, b bool. */
  kind: 'f' | 'i' | 'u' | 'b';
  shape: number[];
  data: Float32Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

type Reader = (v: DataView, off: number, little: boolean) => number;

const READERS: Record<string, Reader> = {
  f2: (v, o, le) => halfToFloat(v.getUint16(o, le)),
  f4: (v, o, le) => v.getFloat32(o, le),
  f8: (v, o, le) => v.getFloat64(o, le),
  i1: (v, o) => v.getInt8(o),
  i2: (v, o, le) => v.getInt16(o, le),
  i4: (v, o, le) => v.getInt32(o, le),
  i8: (v, o, le) => Number(v.getBigInt64(o, le)),
  u1: (v, o) => v.getUint8(o),
  u2: (v, o, le) => v.getUint16(o, le),
  u4: (v, o, le) => v.getUint32(o, le),
  u8: (v, o, le) => Number(v.getBigUint64(o, le)),
  b1: (v, o) => (v.getUint8(o) ? 1 : 0),
};

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

/** Pulls one key's value out of the header's Python dict literal. */
function headerField(header: string, key: string): string | undefined {
  const m = new RegExp(`['"]${key}['"]\\s*:\\s*('[^']*'|"[^"]*"|True|False|\\([^)]*\\))`).exec(header);
  return m?.[1];
}

/** Parses .npy bytes; every structural problem is reported with its byte offset. */
export function parseNpy(bytes: Uint8Array, file: string): NpyArray {
  for (let i = 0; i < MAGIC.length; i++) {
    if (bytes[i] !== MAGIC[i]) throw dataError(file, `byte ${i}`, 'bad magic: not a .npy file (expected \\x93NUMPY)');
  }
  if (bytes.length < 10) throw dataError(file, `byte ${bytes.length}`, 'truncated header');
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number;
  let start: number;
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    start = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw dataError(file, `byte ${bytes.length}`, 'truncated header');
    headerLen = view.getUint32(8, true);
    start = 12;
  } else {
    throw dataError(file, 'byte 6', `unsupported .npy format version ${major}.${bytes[7]} (supported: 1, 2, 3)`);
  }
  if (bytes.length < start + headerLen) {
    throw dataError(file, `byte ${bytes.length}`, `truncated header: expected ${headerLen} header bytes after byte ${start}`);
  }
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, start + headerLen));
  const at = `byte ${start}`;
  const descrLit = headerField(header, 'descr');
  const fortran = headerField(header, 'fortran_order');
  const shapeLit = headerField(header, 'shape');
  if (!descrLit || !fortran || !shapeLit) {
    throw dataError(file, at, `header lacks descr, fortran_order or shape: ${header.trim()}`);
  }
  if (fortran === 'True') {
    throw dataError(file, at, 'fortran_order True is not supported; save with np.ascontiguousarray(a) first');
  }
  const descr = descrLit.slice(1, -1);
  const dm = /^([<>|=])([fiub])(\d+)$/.exec(descr);
  const reader = dm ? READERS[dm[2] + dm[3]] : undefined;
  if (!dm || !reader) {
    throw dataError(file, at, `unsupported dtype '${descr}' (supported: f2 f4 f8 i1 i2 i4 i8 u1 u2 u4 u8 b1)`);
  }
  const little = dm[1] !== '>';
  const itemSize = Number(dm[3]);
  const inner = shapeLit.slice(1, -1).trim();
  const shape =
    inner === ''
      ? []
      : inner
          .split(',')
          .filter((s) => s.trim() !== '')
          .map((s) => Number(s.trim()));
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw dataError(file, at, `bad shape ${shapeLit}`);
  const n = shapeSize(shape);
  const dataStart = start + headerLen;
  const expected = n * itemSize;
  const actual = bytes.length - dataStart;
  if (actual < expected) {
    throw dataError(
      file,
      `byte ${bytes.length}`,
      `truncated data: shape ${shapeLit} of ${descr} needs ${expected} bytes after the header (byte ${dataStart}), found ${actual}`,
    );
  }
  const data = new Float32Array(n);
  if (descr === '<f4' || descr === '=f4') {
    // Fast path for the common case; copy first because the offset may be unaligned.
    // (Buffer#slice would share memory, so copy into a fresh aligned Uint8Array explicitly.)
    const copy = new Uint8Array(expected);
    copy.set(bytes.subarray(dataStart, dataStart + expected));
    data.set(new Float32Array(copy.buffer));
  } else if (itemSize === 1 && dm[2] === 'u') {
    for (let i = 0; i < n; i++) data[i] = bytes[dataStart + i];
  } else {
    for (let i = 0; i < n; i++) data[i] = reader(view, dataStart + i * itemSize, little);
  }
  return { descr, kind: dm[2] as NpyArray['kind'], shape, data };
}

/** Options for {@link loadNpy}. */
export interface NpyOptions {
  /** Force the task; by default integer/bool labels mean classification, floats regression. */
  task?: 'classification' | 'regression';
  name?: string;
}

type Split = Omit<Dataset, 'test'>;

function makeSplit(name: string, fx: NpyArray, ly: NpyArray, files: [string, string], task: Split['task']): Split {
  const [ff, lf] = files;
  if (fx.shape.length === 0) throw dataError(ff, 'byte 8', 'features must have a sample axis, got a scalar');
  if (ly.shape.length === 0) throw dataError(lf, 'byte 8', 'labels must have a sample axis, got a scalar');
  if (fx.shape[0] !== ly.shape[0]) {
    throw dataError(lf, 'header', `label count ${ly.shape[0]} does not match feature count ${fx.shape[0]} in ${ff}`);
  }
  const rest = fx.shape.slice(1);
  const inputShape = rest.length === 0 ? [1] : rest;
  const split: Split = { name, task, count: fx.shape[0], inputShape, x: fx.data, y: ly.data, targetShape: [] };
  if (rest.length === 3 && [1, 3, 4].includes(rest[2])) split.isImage = true;
  if (task === 'regression') {
    split.targetShape = ly.shape.length > 1 ? ly.shape.slice(1) : [1];
    return split;
  }
  if (ly.shape.length > 2 || (ly.shape.length === 2 && ly.shape[1] !== 1)) {
    throw dataError(lf, 'header', `class labels must be one per sample, got shape (${ly.shape.join(', ')})`);
  }
  for (let i = 0; i < ly.data.length; i++) {
    const v = ly.data[i];
    if (!Number.isInteger(v) || v < 0) {
      throw dataError(lf, `sample ${i}`, `label ${v} out of range: class labels must be non-negative integers`);
    }
  }
  return split;
}

/** Loads a features/labels pair (and optionally a test pair) of .npy files (plain or gzipped). */
export async function loadNpy(files: string[], opts: NpyOptions = {}): Promise<Dataset> {
  if (files.length !== 2 && files.length !== 4) {
    throw dataError(
      `npy:${files.join(',')}`,
      undefined,
      `expected npy:FEATURES.npy,LABELS.npy[,TEST_FEATURES.npy,TEST_LABELS.npy], got ${files.length} file(s)`,
    );
  }
  const arrays = await Promise.all(files.map(async (f) => parseNpy(await readMaybeGzip(f), f)));
  const labelArrays = files.length === 4 ? [arrays[1], arrays[3]] : [arrays[1]];
  const task = opts.task ?? (labelArrays.every((a) => a.kind !== 'f') ? 'classification' : 'regression');
  const name = opts.name ?? `npy:${files.join(',')}`;
  const train = makeSplit(name, arrays[0], arrays[1], [files[0], files[1]], task);
  const ds: Dataset = { ...train };
  if (files.length === 4) {
    const test = makeSplit(`${name} (test)`, arrays[2], arrays[3], [files[2], files[3]], task);
    if (test.inputShape.join('x') !== train.inputShape.join('x')) {
      throw dataError(files[2], 'header', `test sample shape ${test.inputShape.join('x')} differs from train ${train.inputShape.join('x')}`);
    }
    ds.test = test;
  }
  if (task === 'classification') {
    let max = -1;
    for (const v of train.y) if (v > max) max = v;
    ds.numClasses = max + 1;
    if (ds.test) {
      const k = ds.numClasses;
      const bad = ds.test.y.findIndex((v) => v >= k);
      if (bad >= 0) throw dataError(files[3], `sample ${bad}`, `label ${ds.test.y[bad]} out of range: train labels span 0..${k - 1}`);
      ds.test.numClasses = k;
    }
  }
  return ds;
}
