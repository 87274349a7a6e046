/**
 * A small Gaussian process over categorical vectors, written out so the predictor-guided
 * search needs no dependency: the exponential Hamming kernel k(a, b) = s² exp(-h(a, b) / ℓ),
 * h = number of decisions where a and b differ (the kernel over one-hot encodings used for
 * categorical Bayesian optimisation, e.g. COMBO, Oh et al., NeurIPS 2019), with the
 * length-scale ℓ and the noise ratio chosen by marginal likelihood over a small grid and the
 * signal variance s² in closed form (its maximum-likelihood value given the others).
 *
 * Everything is deterministic (no random restarts of a hyper-parameter optimiser), so a
 * search with a fixed seed is reproducible and a restored state refits the same model.
 */

/** Length-scales tried, in units of "decisions that differ". */
const LENGTH_SCALES = [0.5, 1, 2, 4, 8];
/** Noise variance as a fraction of the signal variance. */
const NOISE_RATIOS = [1e-4, 1e-2, 1e-1];

/** A fitted GP; predictions are in the units of the targets it was fitted on. */
export interface GpModel extends GpHyper {
  /** Posterior mean and standard deviation of the latent function at `x`. */
  predict(x: readonly number[]): { mean: number; std: number };
}

function hamming(a: readonly number[], b: readonly number[]): number {
  let h = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) h++;
  return h;
}

/** In-place Cholesky of a symmetric positive definite n×n matrix (row-major); false if it is not. */
function cholesky(a: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j];
    for (let k = 0; k < j; k++) d -= a[j * n + k] ** 2;
    if (!(d > 0)) return false;
    const l = Math.sqrt(d);
    a[j * n + j] = l;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= a[i * n + k] * a[j * n + k];
      a[i * n + j] = s / l;
    }
    for (let k = j + 1; k < n; k++) a[j * n + k] = 0;
  }
  return true;
}

/** Solves L z = b (forward substitution) for lower-triangular L. */
function forward(l: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * n + k] * z[k];
    z[i] = s / l[i * n + i];
  }
  return z;
}

/** Solves Lᵀ x = z (back substitution). */
function backward(l: Float64Array, n: number, z: Float64Array): Float64Array {
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = z[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * x[k];
    x[i] = s / l[i * n + i];
  }
  return x;
}

/** Kernel settings of a fit (what {@link fitGp} selects by marginal likelihood). */
export interface GpHyper {
  lengthScale: number;
  noiseRatio: number;
}

/**
 * Fits a GP to `xs` (option indices per decision) and targets `ys`. With `hyper` it uses
 * those kernel settings; otherwise it tries the grid and keeps the length-scale and noise
 * ratio with the highest log marginal likelihood.
 */
export function fitGp(xs: readonly (readonly number[])[], ys: readonly number[], hyper?: GpHyper): GpModel {
  const n = xs.length;
  if (n === 0 || n !== ys.length) throw new Error(`fitGp: need as many targets as inputs (≥ 1), got ${n} inputs and ${ys.length} targets`);
  const h = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) h[i * n + j] = hamming(xs[i], xs[j]);
  let best: { ll: number; l: Float64Array; alpha: Float64Array; amp: number; ls: number; g: number } | null = null;
  for (const ls of hyper ? [hyper.lengthScale] : LENGTH_SCALES) {
    for (const g of hyper ? [hyper.noiseRatio] : NOISE_RATIOS) {
      const c = new Float64Array(n * n);
      for (let i = 0; i < n * n; i++) c[i] = Math.exp(-h[i] / ls);
      for (let i = 0; i < n; i++) c[i * n + i] += g;
      if (!cholesky(c, n)) continue;
      const alpha = backward(c, n, forward(c, n, ys));
      let quad = 0;
      for (let i = 0; i < n; i++) quad += ys[i] * alpha[i];
      const amp = Math.max(quad / n, 1e-12);
      let logDet = 0;
      for (let i = 0; i < n; i++) logDet += 2 * Math.log(c[i * n + i]);
      const ll = -0.5 * n * Math.log(amp) - 0.5 * logDet;
      if (best === null || ll > best.ll) best = { ll, l: c, alpha, amp, ls, g };
    }
  }
  if (best === null) throw new Error('fitGp: no kernel setting gave a positive definite matrix');
  const { l, alpha, amp, ls, g } = best;
  return {
    lengthScale: ls,
    noiseRatio: g,
    predict(x) {
      const k = new Float64Array(n);
      for (let i = 0; i < n; i++) k[i] = Math.exp(-hamming(x, xs[i]) / ls);
      let mean = 0;
      for (let i = 0; i < n; i++) mean += k[i] * alpha[i];
      const v = forward(l, n, k);
      let explained = 0;
      for (let i = 0; i < n; i++) explained += v[i] * v[i];
      return { mean, std: Math.sqrt(Math.max(amp * (1 - explained), 0)) };
    },
  };
}

/** Standard normal density. */
function phi(z: number): number {
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}

/** Standard normal CDF (Abramowitz & Stegun 7.1.26 through erf; |error| < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/**
 * Expected improvement over `incumbent` for a Gaussian prediction (Jones, Schonlau & Welch
 * 1998): E[max(f - incumbent, 0)].
 */
export function expectedImprovement(mean: number, std: number, incumbent: number): number {
  const d = mean - incumbent;
  if (std <= 1e-12) return Math.max(d, 0);
  const z = d / std;
  return d * normalCdf(z) + std * phi(z);
}
