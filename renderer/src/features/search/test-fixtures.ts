/** Trials for the search panel's unit tests. */
import type { TrialInfo } from './types.js';

/** A successful trial with metrics; override any field. */
export function trial(id: number, over: Partial<TrialInfo> = {}): TrialInfo {
  return {
    trialId: id,
    seq: id,
    arch: `stem.kernelSize=3,head.filters=${16 * (id + 1)}`,
    status: 'ok',
    objective: 0.5 + id / 100,
    metrics: { valAccuracy: 0.5 + id / 100, params: 1000 * (id + 1), flops: 5000 * (id + 1) },
    parent: null,
    changed: null,
    costSeconds: 1 + id,
    ...over,
  };
}
