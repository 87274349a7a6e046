/**
 * How many intra-op threads onnxruntime trains with. The default follows the machine
 * (`os.availableParallelism()`, which honours CPU affinity masks), a user setting or
 * `--threads N` overrides it, and parallel search workers split the cores between them so
 * that workers × threads never exceeds them.
 */
import os from 'node:os';

/** The cores this process may run on. */
export function availableCores(): number {
  return Math.max(1, os.availableParallelism());
}

/** Validates a requested thread count; throws naming `where` when it is not a positive integer. */
export function checkThreads(n: number, where = 'threads'): number {
  if (!Number.isInteger(n) || n < 1) throw new Error(`${where} must be a positive integer, got ${n}`);
  return n;
}

/** The thread count to use: the first given of `requested`, else the machine's cores. */
export function resolveThreads(...requested: (number | undefined)[]): number {
  const n = requested.find((r) => r !== undefined);
  return n === undefined ? availableCores() : checkThreads(n);
}

/**
 * Threads for each of `workers` parallel trainers on `cores` cores: the user's `requested`
 * count when workers × requested fits, else (and by default) an even split, at least 1.
 * Throws when an explicit request would oversubscribe the machine.
 */
export function threadsPerWorker(workers: number, requested?: number, cores = availableCores()): number {
  const split = Math.max(1, Math.floor(cores / Math.max(1, workers)));
  if (requested === undefined) return split;
  checkThreads(requested);
  if (requested * workers > cores && requested > split) {
    throw new Error(
      `${workers} workers × ${requested} threads exceeds the ${cores} cores of this machine (at most ${split} thread${split === 1 ? '' : 's'} each)`,
    );
  }
  return requested;
}
