/**
 * Runs wasm kernels from inside another wasm kernel and frees what they allocate.
 *
 * Why: our training kernels are compositions of fast stock wasm kernels (Conv2D, Transpose,
 * BatchMatMul, ...). Calling them at the backend level (TensorInfo in, TensorInfo out) keeps
 * the intermediates out of the tf.js engine's tensor bookkeeping and off the gradient tape;
 * in exchange every intermediate must be released with `backend.disposeData`, which this
 * scope does in one place, on success and on error.
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/** The tf.js namespace (kernels are looked up through it so there is one registry). */
export type Tf = typeof tfNs;
/** What a kernel receives and returns: data id, shape, dtype. */
export type TensorInfo = tfNs.TensorInfo;
/** A kernel's attributes. */
export type Attrs = tfNs.NamedAttrMap;

/** Collects the intermediates of one kernel invocation. */
export class KernelScope {
  private readonly made: TensorInfo[] = [];

  constructor(
    private readonly tf: Tf,
    /** The wasm backend the outer kernel runs on. */
    readonly backend: BackendWasm,
  ) {}

  /** Runs the currently registered wasm kernel `name`; its output is freed by `finish`. */
  run(name: string, inputs: Record<string, TensorInfo> | TensorInfo[], attrs: Attrs = {}): TensorInfo {
    const kernel = this.tf.getKernel(name, 'wasm');
    if (kernel == null) throw new Error(`wasm kernel ${name} is not registered`);
    const out = kernel.kernelFunc({
      inputs: inputs as tfNs.NamedTensorInfoMap,
      attrs,
      backend: this.backend,
    }) as TensorInfo | TensorInfo[];
    if (Array.isArray(out)) {
      this.made.push(...out);
      throw new Error(`wasm kernel ${name} returned several outputs; KernelScope.run expects one`);
    }
    this.made.push(out);
    return out;
  }

  /** Adopts a tensor made outside `run` (e.g. by a stock kernelFunc) so `finish` frees it. */
  adopt(t: TensorInfo): TensorInfo {
    this.made.push(t);
    return t;
  }

  /** A view with another shape; no copy (the wasm Reshape kernel shares the buffer). */
  reshape(x: TensorInfo, shape: number[]): TensorInfo {
    if (sameShape(x.shape, shape)) return x;
    return this.run('Reshape', { x }, { shape });
  }

  /** Permutes axes (a copy unless the permutation only moves size-1 axes). */
  transpose(x: TensorInfo, perm: number[]): TensorInfo {
    if (perm.every((p, i) => p === i)) return x;
    return this.run('Transpose', { x }, { perm });
  }

  /** Zero-pads (`paddings` per axis, [before, after]); no-op when all zero. */
  pad(x: TensorInfo, paddings: [number, number][]): TensorInfo {
    if (paddings.every(([a, b]) => a === 0 && b === 0)) return x;
    return this.run('PadV2', { x }, { paddings, constantValue: 0 });
  }

  /** `x[begin : begin + size*stride : stride]` per axis. */
  stridedSlice(x: TensorInfo, begin: number[], size: number[], strides: number[]): TensorInfo {
    if (begin.every((b) => b === 0) && sameShape(size, x.shape)) return x;
    const end = begin.map((b, i) => b + (size[i] - 1) * strides[i] + 1);
    return this.run(
      'StridedSlice',
      { x },
      {
        begin,
        end,
        strides,
        beginMask: 0,
        endMask: 0,
        ellipsisMask: 0,
        newAxisMask: 0,
        shrinkAxisMask: 0,
      },
    );
  }

  /**
   * Frees every intermediate except `keep` (the kernel's output) and returns `keep`.
   * Reshape views hold their own reference, so freeing a view's source is safe.
   */
  finish(keep: TensorInfo): TensorInfo {
    for (const t of this.made) if (t !== keep) this.backend.disposeData(t.dataId);
    const isOwn = this.made.includes(keep);
    this.made.length = 0;
    if (isOwn) return keep;
    // The result is an input passed through (a no-op reshape/transpose): the engine will
    // own one more reference to that buffer, as it does after the stock Reshape kernel.
    this.backend.incRef(keep.dataId);
    return { ...keep };
  }

  /** Frees everything (error path). */
  disposeAll(): void {
    for (const t of this.made) this.backend.disposeData(t.dataId);
    this.made.length = 0;
  }
}

/**
 * Runs `body` with a fresh scope; frees the intermediates on success (keeping the result)
 * and on error.
 */
export function withScope(tf: Tf, backend: BackendWasm, body: (s: KernelScope) => TensorInfo): TensorInfo {
  const scope = new KernelScope(tf, backend);
  try {
    return scope.finish(body(scope));
  } catch (e) {
    scope.disposeAll();
    throw e;
  }
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Normalises a stride/dilation attribute (number or pair) to a pair. */
export function pair(v: number | [number, number] | number[] | undefined, dflt = 1): [number, number] {
  if (v == null) return [dflt, dflt];
  if (typeof v === 'number') return [v, v];
  return [v[0], v[1]];
}

/** A named kernel input; throws if absent (tf.js types them as possibly undefined). */
export function need(inputs: tfNs.NamedTensorInfoMap, name: string): TensorInfo {
  const t = inputs[name];
  if (t == null) throw new Error(`kernel input '${name}' is missing`);
  return t;
}
