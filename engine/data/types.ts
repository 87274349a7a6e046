/**
 * In-memory dataset representation shared by loaders, the training loop and evaluation.
 * Features and targets are flat typed arrays (row-major, sample first) so large sets stay
 * cheap to slice into batches.
 */

/** A supervised dataset held in memory. */
export interface Dataset {
  /** Registry name or file path it came from, e.g. `"digits"`. */
  name: string;
  task: 'classification' | 'regression';
  /** Number of samples. */
  count: number;
  /** Per-sample feature shape (no batch dim), e.g. `[8, 8, 1]` or `[64]`. */
  inputShape: number[];
  /** Features, `count * prod(inputShape)` values. */
  x: Float32Array;
  /**
   * Targets. Classification: one class index per sample (`count` values).
   * Regression: `count * prod(targetShape)` values.
   */
  y: Float32Array;
  /** Per-sample target shape: `[]` for class indices, e.g. `[1]` for scalar regression. */
  targetShape: number[];
  /** Number of classes (classification only). */
  numClasses?: number;
  /** Optional class names, index-aligned. */
  classNames?: string[];
  /** True when samples are images laid out [height, width, channels] (enables augmentation). */
  isImage?: boolean;
  /** A fixed held-out split shipped with the data (e.g. MNIST test), if any. */
  test?: Omit<Dataset, 'test'>;
  /** Source and licence line, shown in the UI and README. */
  attribution?: string;
}

/** Thrown by loaders on malformed input; the message names the file and the position. */
export class DataError extends Error {
  override name = 'DataError';
  constructor(
    message: string,
    readonly file?: string,
    readonly position?: string,
  ) {
    super(message);
  }
}
