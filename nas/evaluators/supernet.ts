/**
 * Supernet evaluator (`supernet`): scores a candidate by its validation accuracy with the
 * weights it inherits from a trained supernet, no training of its own (the one-shot proxy of
 * Bender et al. 2018, SPOS and ENAS). Cost is the scoring's wall time. A key that is not a
 * valid candidate (a cell no path crosses) comes back `failed`, so a strategy can propose
 * it without ending the search.
 */
import { graphCost, inferShapes } from '../../engine/graph/infer.js';
import { validateDocument } from '../../engine/graph/validate.js';
import type { SearchData } from '../supernet/data.js';
import type { Supernet } from '../supernet/supernet.js';
import { accuracyOn } from '../supernet/train.js';
import type { TrainEvaluation } from './train.js';
import type { Evaluator } from './types.js';

/** The metric a supernet evaluation reports (signal and report). */
export const SUPERNET_METRIC = 'supernetAccuracy';

/** Scores candidates with a trained supernet's shared weights. */
export class SupernetEvaluator implements Evaluator {
  readonly spec = 'supernet';

  constructor(
    private readonly net: Supernet,
    private readonly data: SearchData,
  ) {}

  async evaluate(key: string): Promise<TrainEvaluation> {
    const t0 = performance.now();
    const space = this.net.space;
    const s = space.fromKey(key);
    const done = (status: TrainEvaluation['status'], acc: number, extra: Partial<TrainEvaluation> = {}): TrainEvaluation => {
      const wallMs = performance.now() - t0;
      const metrics = {
        ...(Number.isFinite(acc) && { [SUPERNET_METRIC]: acc }),
        ...(extra.params !== undefined && { params: extra.params, flops: extra.flops! }),
        wallMs,
      };
      return { status, signal: acc, report: acc, metrics, costSeconds: wallMs / 1000, wallMs, ...extra };
    };
    if (!this.net.isValid(s)) return done('failed', NaN, { error: `not a valid candidate: ${key}` });
    const graph = validateDocument(space.drawn.materialize(space.toDrawn(s)));
    const { params, flops } = graphCost(graph, inferShapes(graph));
    const acc = await accuracyOn(this.net, this.data.val, this.data.plan, s);
    return done('ok', acc, { params, flops, backend: (await this.net.onnx({ kind: 'score', exactPaths: true })) ? 'onnxruntime' : this.net.tf.getBackend() });
  }
}
