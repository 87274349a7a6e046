/**
 * The embedded scikit-learn "digits" set (8×8 handwritten digits, 1,797 samples), shipped
 * in the repository so the first run needs no download. See embedded/DIGITS-LICENSE.txt.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dataError, readMaybeGzip } from './common.js';
import type { Dataset } from './types.js';

/** Samples in the embedded file; checked on load so a damaged copy fails loudly. */
export const DIGITS_COUNT = 1797;

/** Licence line shown in the UI. */
export const DIGITS_ATTRIBUTION =
  'scikit-learn digits (BSD-3-Clause), from UCI Optical Recognition of Handwritten Digits, Alpaydin & Kaynak 1998 (CC BY 4.0)';

const REL = join('engine', 'data', 'embedded', 'digits.csv.gz');

/**
 * Finds digits.csv.gz. Why the search: when running from source the file sits next to this
 * module, but `tsc` does not copy data files into dist/, so a compiled module walks up to
 * the package root and uses the source copy.
 */
export function digitsPath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const beside = join(here, 'embedded', 'digits.csv.gz');
  if (existsSync(beside)) return beside;
  let dir = here;
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, REL);
    if (existsSync(candidate)) return candidate;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return beside;
}

/** Loads `digits`: inputShape [8, 8, 1], pixels scaled from 0..16 to [0, 1], 10 classes. */
export async function loadDigits(): Promise<Dataset> {
  const file = digitsPath();
  const text = new TextDecoder().decode(await readMaybeGzip(file));
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  if (lines.length !== DIGITS_COUNT) {
    throw dataError(file, `line ${lines.length}`, `expected ${DIGITS_COUNT} rows, found ${lines.length}`);
  }
  const x = new Float32Array(DIGITS_COUNT * 64);
  const y = new Float32Array(DIGITS_COUNT);
  for (let i = 0; i < DIGITS_COUNT; i++) {
    const cells = lines[i].split(',');
    if (cells.length !== 65) {
      throw dataError(file, `line ${i + 1}`, `expected 65 columns, found ${cells.length}`);
    }
    for (let j = 0; j < 64; j++) x[i * 64 + j] = Number(cells[j]) / 16;
    const label = Number(cells[64]);
    if (!Number.isInteger(label) || label < 0 || label > 9) {
      throw dataError(file, `line ${i + 1}, column 65`, `label '${cells[64]}' is not a digit 0..9`);
    }
    y[i] = label;
  }
  return {
    name: 'digits',
    task: 'classification',
    count: DIGITS_COUNT,
    inputShape: [8, 8, 1],
    x,
    y,
    targetShape: [],
    numClasses: 10,
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    isImage: true,
    attribution: DIGITS_ATTRIBUTION,
  };
}
