/**
 * Dataset registry: turns a spec string (`digits`, `mnist`, `spirals`, `csv:data.csv`, ...)
 * into a loaded Dataset, and describes the built-ins for the UI.
 *
 * Synthetic sets accept inline options after a colon, e.g. `spirals:classes=5,noise=0.1`
 * or `sine:steps=50`; `limit` sets their sample count and `seed` their seed.
 */
import { loadCsv } from './csv.js';
import { DIGITS_ATTRIBUTION, DIGITS_COUNT, loadDigits } from './digits.js';
import type { ResizeMethod } from './image-decode.js';
import { loadIdx } from './idx.js';
import { loadImageFolder } from './images.js';
import { loadMnist, MNIST_ATTRIBUTION } from './mnist.js';
import { loadNpy } from './npy.js';
import { subset } from './split.js';
import { makeShapes } from './synthetic/shapes.js';
import { makeSine } from './synthetic/sine.js';
import { makeSpirals } from './synthetic/spirals.js';
import { DataError, type Dataset } from './types.js';

/** Options accepted by {@link loadDataset}. */
export interface LoadOptions {
  /** CSV target column (name or index). */
  target?: string;
  /** Cap on samples: synthetic sets generate this many; others take a seeded random subset. */
  limit?: number;
  /** Seed for synthetic data and for `limit` subsets. Default 42. */
  seed?: number;
  /** Force classification or regression (CSV, IDX, NPY). */
  task?: 'classification' | 'regression';
  /** Image folders: resize every image to [height, width]. */
  imageSize?: [number, number];
  /** Image folders: resampling for `imageSize`. Default 'bilinear'. */
  resize?: ResizeMethod;
}

/** A built-in dataset as shown in the UI's picker. */
export interface DatasetInfo {
  name: string;
  description: string;
  inputShape: number[];
  task: 'classification' | 'regression';
  /** Number of classes (classification only). */
  classes?: number;
  /** Training samples (default count for synthetic sets). */
  count: number;
  /** Samples in the shipped test split, if any. */
  testCount?: number;
  isImage: boolean;
  /** True when generated from a seed rather than read from files. */
  synthetic: boolean;
  attribution: string;
}

const BUILTINS: DatasetInfo[] = [
  {
    name: 'digits',
    description: '8×8 grayscale handwritten digits (scikit-learn), embedded; trains in seconds',
    inputShape: [8, 8, 1],
    task: 'classification',
    classes: 10,
    count: DIGITS_COUNT,
    isImage: true,
    synthetic: false,
    attribution: DIGITS_ATTRIBUTION,
  },
  {
    name: 'mnist',
    description: '28×28 grayscale handwritten digits, 60k train + 10k test',
    inputShape: [28, 28, 1],
    task: 'classification',
    classes: 10,
    count: 60000,
    testCount: 10000,
    isImage: true,
    synthetic: false,
    attribution: MNIST_ATTRIBUTION,
  },
  {
    name: 'spirals',
    description: 'Interleaved 2-D spiral arms (options: classes, noise); not linearly separable',
    inputShape: [2],
    task: 'classification',
    classes: 3,
    count: 600,
    isImage: false,
    synthetic: true,
    attribution: 'Synthetic (Layerloom)',
  },
  {
    name: 'shapes',
    description: '28×28 images of circles, squares and triangles with random size, position and noise',
    inputShape: [28, 28, 1],
    task: 'classification',
    classes: 3,
    count: 900,
    isImage: true,
    synthetic: true,
    attribution: 'Synthetic (Layerloom)',
  },
  {
    name: 'sine',
    description: 'Sine sequences (T=20, option steps) for RNN regression: predict the next value',
    inputShape: [20, 1],
    task: 'regression',
    count: 1000,
    isImage: false,
    synthetic: true,
    attribution: 'Synthetic (Layerloom)',
  },
];

/** File-based spec prefixes, with their syntax for error messages. */
const FILE_SPECS = ['idx:TRAIN_IMAGES,TRAIN_LABELS[,TEST_IMAGES,TEST_LABELS]', 'csv:PATH', 'npy:FEATURES.npy,LABELS.npy', 'images:DIR'];

/** Built-in datasets for the UI (copies, safe to mutate). */
export function listDatasets(): DatasetInfo[] {
  return BUILTINS.map((d) => ({ ...d, inputShape: [...d.inputShape] }));
}

function unknownSpec(spec: string): DataError {
  const names = [...BUILTINS.map((b) => b.name), ...FILE_SPECS].join(', ');
  return new DataError(`unknown dataset '${spec}'; valid: ${names}`, spec);
}

/** Parses `key=value,key=value` inline options of a synthetic spec into numbers. */
function inlineOptions(spec: string, body: string, allowed: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  if (body.trim() === '') return out;
  for (const part of body.split(',')) {
    const m = /^\s*(\w+)\s*=\s*([^\s]+)\s*$/.exec(part);
    const v = m ? Number(m[2]) : NaN;
    if (!m || !allowed.includes(m[1]) || !Number.isFinite(v)) {
      throw new DataError(`${spec}: bad option '${part}'; allowed numeric options: ${allowed.join(', ')}`, spec);
    }
    out[m[1]] = v;
  }
  return out;
}

function fileList(spec: string, body: string): string[] {
  const files = body.split(',').map((s) => s.trim());
  if (files.some((f) => f === '')) throw new DataError(`${spec}: empty file name in the list`, spec);
  return files;
}

/**
 * Loads a dataset by spec: `digits | mnist | spirals | shapes | sine | idx:… | csv:PATH |
 * npy:… | images:DIR`. Unknown specs raise a DataError listing the valid names.
 */
export async function loadDataset(spec: string, opts: LoadOptions = {}): Promise<Dataset> {
  const seed = opts.seed ?? 42;
  const colon = spec.indexOf(':');
  const kind = (colon < 0 ? spec : spec.slice(0, colon)).trim();
  const body = colon < 0 ? '' : spec.slice(colon + 1);
  if (opts.limit !== undefined && !(Number.isInteger(opts.limit) && opts.limit > 0)) {
    throw new DataError(`${spec}: limit must be a positive integer, got ${opts.limit}`, spec);
  }
  const limited = (ds: Dataset) => (opts.limit !== undefined ? subset(ds, opts.limit, seed) : ds);
  switch (kind) {
    case 'digits':
    case 'mnist': {
      if (body !== '') throw unknownSpec(spec);
      return limited(kind === 'digits' ? await loadDigits() : await loadMnist());
    }
    case 'spirals': {
      const o = inlineOptions(spec, body, ['count', 'classes', 'noise']);
      return makeSpirals({ ...o, count: opts.limit ?? o.count, seed });
    }
    case 'shapes': {
      const o = inlineOptions(spec, body, ['count', 'size', 'noise']);
      return makeShapes({ ...o, count: opts.limit ?? o.count, seed });
    }
    case 'sine': {
      const o = inlineOptions(spec, body, ['count', 'steps', 'noise']);
      return makeSine({ ...o, count: opts.limit ?? o.count, seed });
    }
    case 'idx':
      return limited(await loadIdx(fileList(spec, body), { task: opts.task, name: spec }));
    case 'npy':
      return limited(await loadNpy(fileList(spec, body), { task: opts.task, name: spec }));
    case 'csv': {
      if (body.trim() === '') throw new DataError(`${spec}: expected csv:PATH`, spec);
      const ds = await loadCsv(body.trim(), { target: opts.target, task: opts.task });
      return limited({ ...ds, name: spec });
    }
    case 'images': {
      if (body.trim() === '') throw new DataError(`${spec}: expected images:DIR`, spec);
      const ds = await loadImageFolder(body.trim(), { size: opts.imageSize, resize: opts.resize });
      return limited({ ...ds, name: spec });
    }
    default:
      throw unknownSpec(spec);
  }
}
