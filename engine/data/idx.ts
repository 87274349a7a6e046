/**
 * IDX file loader (the MNIST format): `idx:TRAIN_IMAGES,TRAIN_LABELS[,TEST_IMAGES,TEST_LABELS]`.
 * Files may be plain or gzipped; gzip is detected from the magic bytes, not the name.
 *
 * Layout: bytes 0-1 are zero, byte 2 the dtype, byte 3 the rank, then one big-endian uint32
 * per dimension, then the values in row-major order, big-endian.
 */
import { dataError, readMaybeGzip, shapeSize } from './common.js';
import type { Dataset } from './types.js';

/** IDX dtype byte → element size and name. */
const DTYPES: Record<number, { size: number; name: string }> = {
  0x08: { size: 1, name: 'ubyte' },
  0x09: { size: 1, name: 'byte' },
  0x0b: { size: 2, name: 'short' },
  0x0c: { size: 4, name: 'int' },
  0x0d: { size: 4, name: 'float' },
  0x0e: { size: 8, name: 'double' },
};

/** A decoded IDX tensor. Values are converted to float32; `dtype` keeps the original type. */
export interface IdxTensor {
  dtype: 'ubyte' | 'byte' | 'short' | 'int' | 'float' | 'double';
  dims: number[];
  data: Float32Array;
  /** Bytes per stored element and header length, so callers can report byte offsets. */
  elementSize: number;
  headerBytes: number;
}

/**
 * Parses IDX bytes. `scaleUbyte` maps 0..255 to [0, 1] during conversion, which saves a second
 * pass over MNIST's 47 M pixels.
 */
export function parseIdx(bytes: Uint8Array, file: string, scaleUbyte = false): IdxTensor {
  if (bytes.length < 4) {
    throw dataError(file, 'byte 0', `truncated header: expected at least 4 bytes, found ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const magic = view.getUint32(0).toString(16).padStart(8, '0');
    throw dataError(file, 'byte 0', `bad magic number 0x${magic}: IDX files start with two zero bytes, a dtype byte and a rank byte`);
  }
  const code = bytes[2];
  const dt = DTYPES[code];
  if (!dt) {
    throw dataError(
      file,
      'byte 2',
      `unknown dtype byte 0x${code.toString(16).padStart(2, '0')} (expected 0x08 ubyte, 0x09 byte, 0x0B short, 0x0C int, 0x0D float or 0x0E double)`,
    );
  }
  const rank = bytes[3];
  if (rank === 0) throw dataError(file, 'byte 3', 'rank is 0; an IDX file needs at least one dimension');
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) {
    throw dataError(file, `byte ${bytes.length}`, `truncated header: rank ${rank} needs ${headerBytes} header bytes, found ${bytes.length}`);
  }
  const dims: number[] = [];
  for (let k = 0; k < rank; k++) {
    const d = view.getUint32(4 + 4 * k);
    if (d === 0) throw dataError(file, `byte ${4 + 4 * k}`, `dimension ${k} is 0`);
    dims.push(d);
  }
  const n = shapeSize(dims);
  const expected = n * dt.size;
  const actual = bytes.length - headerBytes;
  if (actual < expected) {
    throw dataError(
      file,
      `byte ${bytes.length}`,
      `truncated data: shape [${dims.join(', ')}] of ${dt.name} needs ${expected} data bytes after the ${headerBytes}-byte header, found ${actual}`,
    );
  }
  if (actual > expected) {
    throw dataError(file, `byte ${headerBytes + expected}`, `${actual - expected} unexpected trailing bytes after the data (expected ${expected} data bytes)`);
  }
  const data = new Float32Array(n);
  const o = headerBytes;
  switch (code) {
    case 0x08: {
      const k = scaleUbyte ? 1 / 255 : 1;
      for (let i = 0; i < n; i++) data[i] = bytes[o + i] * k;
      break;
    }
    case 0x09:
      for (let i = 0; i < n; i++) data[i] = view.getInt8(o + i);
      break;
    case 0x0b:
      for (let i = 0; i < n; i++) data[i] = view.getInt16(o + 2 * i);
      break;
    case 0x0c:
      for (let i = 0; i < n; i++) data[i] = view.getInt32(o + 4 * i);
      break;
    case 0x0d:
      for (let i = 0; i < n; i++) data[i] = view.getFloat32(o + 4 * i);
      break;
    default:
      for (let i = 0; i < n; i++) data[i] = view.getFloat64(o + 8 * i);
  }
  return { dtype: dt.name as IdxTensor['dtype'], dims, data, elementSize: dt.size, headerBytes };
}

/** Options for {@link loadIdx}. */
export interface IdxOptions {
  /** Dataset name; defaults to the spec. */
  name?: string;
  /** Force the task; by default integer labels mean classification, others regression. */
  task?: 'classification' | 'regression';
  /** Fix the class count (labels must be below it); default: largest train label + 1. */
  numClasses?: number;
  /** Attribution line. */
  attribution?: string;
}

type Split = Omit<Dataset, 'test'>;

/** Per-sample shape of an images tensor, adding a channel axis to [h, w] images. */
function sampleShape(dims: number[]): { inputShape: number[]; isImage: boolean } {
  const rest = dims.slice(1);
  if (rest.length === 0) return { inputShape: [1], isImage: false };
  if (rest.length === 2) return { inputShape: [rest[0], rest[1], 1], isImage: true };
  if (rest.length === 3 && [1, 3, 4].includes(rest[2])) return { inputShape: rest, isImage: true };
  return { inputShape: rest, isImage: false };
}

function isIntegral(a: Float32Array): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isInteger(a[i])) return false;
  return true;
}

/** Checks class labels: integers in [0, numClasses); reports the first bad sample. */
function checkLabels(labels: IdxTensor, file: string, numClasses: number): void {
  for (let i = 0; i < labels.data.length; i++) {
    const v = labels.data[i];
    if (!Number.isInteger(v) || v < 0 || v >= numClasses) {
      throw dataError(
        file,
        `sample ${i}, byte ${labels.headerBytes + i * labels.elementSize}`,
        `label ${v} out of range: class labels must be integers in 0..${numClasses - 1}`,
      );
    }
  }
}

async function readPair(imagesFile: string, labelsFile: string): Promise<{ images: IdxTensor; labels: IdxTensor }> {
  const [ib, lb] = await Promise.all([readMaybeGzip(imagesFile), readMaybeGzip(labelsFile)]);
  const images = parseIdx(ib, imagesFile, true);
  const labels = parseIdx(lb, labelsFile);
  if (labels.dims[0] !== images.dims[0]) {
    throw dataError(labelsFile, 'byte 4', `label count ${labels.dims[0]} does not match image count ${images.dims[0]} in ${imagesFile}`);
  }
  return { images, labels };
}

/**
 * Loads one or two IDX image/label pairs. Ubyte images are scaled to [0, 1]; other dtypes are
 * kept as stored. The second pair, when given, becomes the dataset's `test` split.
 */
export async function loadIdx(files: string[], opts: IdxOptions = {}): Promise<Dataset> {
  if (files.length !== 2 && files.length !== 4) {
    throw dataError(`idx:${files.join(',')}`, undefined, `expected idx:TRAIN_IMAGES,TRAIN_LABELS[,TEST_IMAGES,TEST_LABELS], got ${files.length} file(s)`);
  }
  const pairs = [await readPair(files[0], files[1])];
  if (files.length === 4) {
    pairs.push(await readPair(files[2], files[3]));
    const a = pairs[0].images.dims.slice(1).join('x');
    const b = pairs[1].images.dims.slice(1).join('x');
    if (a !== b) throw dataError(files[2], 'byte 4', `test sample shape ${b} differs from train sample shape ${a} in ${files[0]}`);
  }
  const task = opts.task ?? (pairs.every((p) => isIntegral(p.labels.data)) ? 'classification' : 'regression');
  const name = opts.name ?? `idx:${files.join(',')}`;
  let numClasses: number | undefined;
  if (task === 'classification') {
    for (let p = 0; p < pairs.length; p++) {
      const { labels } = pairs[p];
      if (labels.dims.length > 2 || (labels.dims.length === 2 && labels.dims[1] !== 1)) {
        throw dataError(files[2 * p + 1], 'byte 3', `class labels must be one per sample, got shape [${labels.dims.join(', ')}]`);
      }
    }
    if (opts.numClasses !== undefined) {
      numClasses = opts.numClasses;
    } else {
      // Negative train labels are reported by checkLabels; the test split must fit train's classes.
      let max = 0;
      for (const v of pairs[0].labels.data) if (Number.isInteger(v) && v > max) max = v;
      numClasses = max + 1;
    }
    pairs.forEach((p, k) => checkLabels(p.labels, files[2 * k + 1], numClasses!));
  }
  const splits: Split[] = pairs.map(({ images, labels }) => {
    const { inputShape, isImage } = sampleShape(images.dims);
    const targetShape = task === 'classification' ? [] : labels.dims.length > 1 ? labels.dims.slice(1) : [1];
    const s: Split = { name, task, count: images.dims[0], inputShape, x: images.data, y: labels.data, targetShape };
    if (isImage) s.isImage = true;
    if (numClasses !== undefined) s.numClasses = numClasses;
    if (opts.attribution) s.attribution = opts.attribution;
    return s;
  });
  const ds: Dataset = { ...splits[0] };
  if (splits[1]) ds.test = { ...splits[1], name: `${name} (test)` };
  return ds;
}
