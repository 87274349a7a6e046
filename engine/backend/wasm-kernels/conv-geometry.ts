/**
 * Shared geometry for expressing convolution gradients with forward kernels.
 *
 * Conventions (NHWC, per spatial axis): input length `inLen`, output length `outLen`,
 * filter length `k`, stride `s`, dilation `d`, leading padding `padBefore` (from
 * tf.js's `computeConv2DInfo`). Output position `o`, tap `t` reads input
 * `o*s + t*d - padBefore`.
 */
import type { KernelScope, TensorInfo } from './kernel-scope.js';

/** One spatial axis of a convolution. */
export interface AxisGeom {
  inLen: number;
  outLen: number;
  k: number;
  s: number;
  d: number;
  padBefore: number;
}

/**
 * Zero padding after the input so that every tap of every output position is inside
 * the padded input. Minimal, so patch extraction copies no unused rows.
 */
export function padAfterNeeded(g: AxisGeom): number {
  return Math.max(0, (g.k - 1) * g.d + (g.outLen - 1) * g.s - g.padBefore - (g.inLen - 1));
}

/**
 * Prepares `dy` [N, Ho, Wo, C] for "input gradient = stride-1 forward correlation":
 * inserts s-1 zeros after each element (stride), then pads/crops the edges so that a
 * VALID correlation with the spatially flipped filter at dilation d yields exactly
 * [N, H, W, C]. Derivation: dx[h] = Σ_t dyUp[h + padBefore - t*d] · w[t]; with
 * t' = k-1-t this reads dyUp at h + t'*d - ((k-1)*d - padBefore).
 *
 * Returns the prepared tensor and the explicit (non-negative) padding to pass to the
 * forward kernel, so that positive edge padding costs no copy.
 */
export function prepareInputGradSource(
  scope: KernelScope,
  dy: TensorInfo,
  gh: AxisGeom,
  gw: AxisGeom,
): { src: TensorInfo; pad: [[0, 0], [number, number], [number, number], [0, 0]] } {
  const [n, ho, wo, c] = dy.shape;
  let src = dy;
  if (gh.s > 1 || gw.s > 1) {
    // Zero insertion through a 6-D pad: [N,Ho,1,Wo,1,C] -> [N,Ho,sh,Wo,sw,C].
    const six = scope.reshape(dy, [n, ho, 1, wo, 1, c]);
    const padded = scope.pad(six, [
      [0, 0],
      [0, 0],
      [0, gh.s - 1],
      [0, 0],
      [0, gw.s - 1],
      [0, 0],
    ]);
    src = scope.reshape(padded, [n, ho * gh.s, wo * gw.s, c]);
  }
  const edges = (g: AxisGeom, len: number): [number, number] => {
    const before = (g.k - 1) * g.d - g.padBefore;
    const after = g.inLen + (g.k - 1) * g.d - before - len;
    return [before, after];
  };
  const [top, bottom] = edges(gh, src.shape[1]);
  const [left, right] = edges(gw, src.shape[2]);
  // Negative padding = crop; only happens for unusual explicit paddings or when the
  // trailing inserted zeros overshoot (stride > 1, VALID padding).
  if (top < 0 || bottom < 0 || left < 0 || right < 0) {
    const b = [0, Math.max(0, -top), Math.max(0, -left), 0];
    const size = [n, src.shape[1] - b[1] - Math.max(0, -bottom), src.shape[2] - b[2] - Math.max(0, -right), c];
    src = scope.stridedSlice(src, b, size, [1, 1, 1, 1]);
  }
  return {
    src,
    pad: [
      [0, 0],
      [Math.max(0, top), Math.max(0, bottom)],
      [Math.max(0, left), Math.max(0, right)],
      [0, 0],
    ],
  };
}

/**
 * Extracts the k_h·k_w input patches of a convolution, channels first: returns one
 * tensor per tap (row-major over (kh, kw)), each [C, N·Ho·Wo], where
 * `patch[t][c, (n,oh,ow)] = x[n, oh*sh + kh*dh - pt, ow*sw + kw*dw - pl, c]` (0 outside).
 *
 * Why channels first: the filter gradients then become untransposed matmuls, the fast
 * path of wasm BatchMatMul.
 */
export function extractPatchesCF(scope: KernelScope, x: TensorInfo, gh: AxisGeom, gw: AxisGeom): TensorInfo[] {
  const [n, , , c] = x.shape;
  const xt = scope.transpose(x, [3, 0, 1, 2]);
  // Cropping before padding would save little; pad the leading side as computed by
  // tf.js and the trailing side minimally.
  const xp = scope.pad(xt, [
    [0, 0],
    [0, 0],
    [gh.padBefore, padAfterNeeded(gh)],
    [gw.padBefore, padAfterNeeded(gw)],
  ]);
  const k = n * gh.outLen * gw.outLen;
  const out: TensorInfo[] = [];
  for (let i = 0; i < gh.k; i++) {
    for (let j = 0; j < gw.k; j++) {
      const sl = scope.stridedSlice(xp, [0, 0, i * gh.d, j * gw.d], [c, n, gh.outLen, gw.outLen], [1, 1, gh.s, gw.s]);
      out.push(scope.reshape(sl, [c, k]));
    }
  }
  return out;
}
