/**
 * Training evaluator (`train`): trains a concrete candidate graph in-process on a small
 * budget (epochs, a training subset, optional early stopping) and reports its validation
 * metrics, static cost (params and FLOPs from shape inference), wall time and backend.
 *
 * It runs the same training pipeline as `engine/jobs/train-job.ts`
 * (engine/jobs/training-pipeline.ts: subset, dataset fitting, backend choice with compile,
 * the shared training loop) but writes nothing to the run store: a search's trials are
 * stored by the experiment runner. Every candidate-level failure (a
 * shape error, a node no backend can train, a diverging loss) comes back as a `failed`
 * evaluation with the message instead of an exception, so one bad candidate never ends a
 * search.
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { Dataset } from '../../engine/data/types.js';
import { GraphError } from '../../engine/graph/errors.js';
import { graphCost, inferShapes } from '../../engine/graph/infer.js';
import { parseDocument } from '../../engine/graph/load.js';
import type { LoomDocument } from '../../engine/graph/schema.js';
import type { Graph } from '../../engine/graph/validate.js';
import { validateDocument } from '../../engine/graph/validate.js';
import type { BackendChoice } from '../../engine/jobs/training-backend.js';
import { runTrainingPipeline } from '../../engine/jobs/training-pipeline.js';
import { layerloomVersion } from '../../engine/jobs/version.js';
import { exportOnnx } from '../../engine/onnx/export.js';
import { trainingConfigSchema, type TrainingConfig } from '../../engine/train/config.js';
import type { TrainEvent } from '../../engine/train/events.js';
import type { TrainResult } from '../../engine/train/loop.js';
import { violations, type Constraint } from '../runner/objectives.js';
import { loadTrainVal, type TrainVal } from './data.js';
import type { Evaluation, Evaluator } from './types.js';

/** Options of {@link TrainEvaluator}. Unset training fields come from the document's `training` section. */
export interface TrainEvaluatorOptions {
  /** Turns a candidate key into its concrete graph; needed for `evaluate(key)`. */
  materialize?: (key: string) => LoomDocument;
  /** Dataset spec (`digits`, `csv:PATH`, …). */
  dataset?: string;
  /** CSV target column. */
  target?: string;
  /** Seed for data split/subset and weight initialisation. */
  seed?: number;
  /** Epochs per trial (the training budget). */
  epochs?: number;
  /** Training samples per trial (seeded subset, as `--limit` does). */
  limit?: number;
  /** Validation samples per trial (seeded subset); all when unset. */
  valLimit?: number;
  batchSize?: number;
  /** onnxruntime intra-op threads per trial (default: the document's setting, else every core). */
  threads?: number;
  /** Early stopping within a trial's epochs; `true` uses the schema defaults (valLoss, patience 5). */
  earlyStopping?: boolean | Partial<NonNullable<TrainingConfig['earlyStopping']>>;
  /** Training engine; default `auto` (onnxruntime on CPU when the graph supports it). */
  backend?: BackendChoice;
  /** Metric returned as `signal` (default `valAccuracy`); a trial that does not report it fails. */
  signal?: string;
  /** Metric returned as `report` (default: the signal). */
  report?: string;
  /** Export each trained model to ONNX and time inference (adds `latencyMs`). */
  latency?: boolean | { batch?: number; runs?: number; threads?: number };
  /** Static-cost constraints: violators are returned as `skipped` without training. */
  constraints?: readonly Constraint[];
  /** Aborting stops the trial in progress (it comes back `failed`, error "cancelled"). */
  abortSignal?: AbortSignal;
  /**
   * Called after a successful training with the graph and the trained tf.js model (weights
   * written back from onnxruntime), before the model is disposed: e.g. to export it to ONNX.
   * An error thrown here fails the evaluation.
   */
  onTrained?: (graph: Graph, model: tfNs.LayersModel, metrics: Record<string, number>) => void | Promise<void>;
}

/** A training evaluation: the runner's {@link Evaluation} plus what only training knows. */
export interface TrainEvaluation extends Evaluation {
  /** `skipped`: violated a constraint, not trained; `signal`/`report` are NaN unless `ok`. */
  status: 'ok' | 'failed' | 'skipped';
  /** Why it failed or was skipped. */
  error?: string;
  /** The node the failure is about, when the error names one. */
  node?: string;
  /** Training engine used (`onnxruntime`, `tensorflow`, `wasm`, `cpu`). */
  backend?: string;
  /** Wall time of the whole evaluation, ms (also `metrics.wallMs`). */
  wallMs: number;
  /** Per-epoch metrics, index 0 = epoch 1. */
  history?: Record<string, number>[];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Trains candidates in-process on a fixed small budget. */
export class TrainEvaluator implements Evaluator {
  readonly spec = 'train';
  readonly signal: string;
  readonly report: string;
  private readonly opts: TrainEvaluatorOptions;
  // Keyed by everything the split depends on; holds promises so concurrent trials share a load.
  private readonly data = new Map<string, Promise<TrainVal>>();
  private loads = 0;

  constructor(options: TrainEvaluatorOptions = {}) {
    this.opts = options;
    this.signal = options.signal ?? 'valAccuracy';
    this.report = options.report ?? this.signal;
  }

  /** How many times a dataset was actually loaded (the rest were cache hits). */
  get dataLoads(): number {
    return this.loads;
  }

  /** Evaluates the candidate a key names, via `materialize`. Never throws for a bad candidate. */
  async evaluate(key: string, signal?: AbortSignal): Promise<TrainEvaluation> {
    if (!this.opts.materialize) throw new Error('train evaluator: evaluate(key) needs a materialize(key) function; use evaluateDocument(doc)');
    let doc: LoomDocument;
    try {
      doc = this.opts.materialize(key);
    } catch (e) {
      return this.failed(e, performance.now());
    }
    return this.evaluateDocument(doc, signal);
  }

  /**
   * Multi-fidelity search: trains with `fidelity` × the full epochs (at least 1) and adds
   * `fidelity` (the share actually trained) to the metrics. Never throws for a bad candidate.
   */
  async evaluateAt(key: string, fidelity: number): Promise<TrainEvaluation> {
    if (!(fidelity > 0 && fidelity <= 1)) throw new Error(`train evaluator: fidelity must be in (0, 1], got ${fidelity}`);
    if (!this.opts.materialize) throw new Error('train evaluator: evaluateAt(key) needs a materialize(key) function');
    let doc: LoomDocument;
    let epochs: number;
    try {
      doc = this.opts.materialize(key);
      epochs = this.configFor(doc).epochs;
    } catch (e) {
      return this.failed(e, performance.now());
    }
    const scaled = Math.max(1, Math.round(fidelity * epochs));
    const r = await this.evaluateDocument(doc, undefined, scaled);
    return { ...r, metrics: { ...r.metrics, fidelity: scaled / epochs } };
  }

  /** The training config a document gets under this evaluator's budget (for logs and tests). */
  configFor(doc: LoomDocument, epochs?: number): TrainingConfig {
    const o = this.opts;
    const es = o.earlyStopping === true ? {} : o.earlyStopping || undefined;
    const overrides = {
      dataset: o.dataset,
      target: o.target,
      seed: o.seed,
      epochs: epochs ?? o.epochs,
      limit: o.limit,
      batchSize: o.batchSize,
      threads: o.threads,
      earlyStopping: es,
    };
    const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
    return trainingConfigSchema.parse({ ...(doc.training ?? {}), ...defined });
  }

  /**
   * Trains `doc` on the budget (`epochs` overrides its epochs) and reports its metrics;
   * failures come back as `failed`. `signal` (else the constructor's `abortSignal`) stops
   * the trial between batches.
   */
  async evaluateDocument(doc: LoomDocument, signal?: AbortSignal, epochs?: number): Promise<TrainEvaluation> {
    const t0 = performance.now();
    let graph: Graph;
    let base: { params: number; flops: number };
    let config: TrainingConfig;
    try {
      graph = validateDocument(parseDocument(doc));
      const { params, flops } = graphCost(graph, inferShapes(graph));
      base = { params, flops };
      config = this.configFor(doc, epochs);
    } catch (e) {
      return this.failed(e, t0);
    }
    const broken = violations(this.opts.constraints ?? [], base);
    if (broken.length) {
      const wallMs = performance.now() - t0;
      return {
        status: 'skipped',
        error: broken.join('; '),
        signal: NaN,
        report: NaN,
        metrics: { ...base, wallMs },
        ...base,
        costSeconds: wallMs / 1000,
        wallMs,
      };
    }
    try {
      return await this.train(graph, config, base, t0, signal ?? this.opts.abortSignal);
    } catch (e) {
      const r = this.failed(e, t0);
      return { ...r, metrics: { ...base, ...r.metrics }, ...base };
    }
  }

  /** Loads (once per spec/target/seed/split) and splits the dataset, as the training job does. */
  private loadSplit(config: TrainingConfig): Promise<TrainVal> {
    const spec = config.dataset;
    if (!spec) throw new Error("no dataset: set the evaluator's dataset option or training.dataset in the document");
    const key = JSON.stringify([spec, config.target ?? null, config.seed, config.validationSplit]);
    let hit = this.data.get(key);
    if (!hit) {
      this.loads++;
      hit = loadTrainVal(spec, { target: config.target, seed: config.seed, validationSplit: config.validationSplit });
      // A failed load is not cached, so a transient error does not poison later trials.
      hit.catch(() => this.data.delete(key));
      this.data.set(key, hit);
    }
    return hit;
  }

  private async train(
    graph: Graph,
    config: TrainingConfig,
    base: { params: number; flops: number },
    t0: number,
    outer: AbortSignal | undefined,
  ): Promise<TrainEvaluation> {
    const data = await this.loadSplit(config);
    // NaN detection aborts through our own controller; the caller's signal is linked into it.
    const ctl = new AbortController();
    const onAbort = () => ctl.abort();
    outer?.addEventListener('abort', onAbort);
    if (outer?.aborted) ctl.abort();
    let diverged: string | null = null;
    try {
      return await runTrainingPipeline({
        graph,
        config,
        data,
        valLimit: this.opts.valLimit,
        backend: this.opts.backend ?? 'auto',
        loop: {
          signal: ctl.signal,
          // Every batch: a NaN loss should stop the trial at once, not after the epoch.
          batchEventIntervalMs: 0,
          onEvent: (e: TrainEvent) => {
            if (diverged) return;
            if (e.event === 'batch' && !Number.isFinite(e.loss)) diverged = `training diverged: loss is ${e.loss} at epoch ${e.epoch}, batch ${e.batch}`;
            if (e.event === 'epoch' && !Number.isFinite(e.metrics.loss)) diverged = `training diverged: loss is ${e.metrics.loss} at epoch ${e.epoch}`;
            if (diverged) ctl.abort();
          },
        },
        trained: ({ backend, compiled, result, validation }) =>
          this.evaluationOf(result, { graph, model: compiled.model, validation, backend: backend.name, base, t0, diverged }),
      });
    } finally {
      outer?.removeEventListener('abort', onAbort);
    }
  }

  /** Turns a finished training into the trial's evaluation (failed for NaN losses or missing metrics). */
  private async evaluationOf(
    result: TrainResult,
    o: {
      graph: Graph;
      model: tfNs.LayersModel;
      validation: Dataset;
      backend: string;
      base: { params: number; flops: number };
      t0: number;
      diverged: string | null;
    },
  ): Promise<TrainEvaluation> {
    const { base, t0, backend } = o;
    const history = result.history.map((m) => ({ ...(m as Record<string, number>) }));
    const fail = (error: string): TrainEvaluation => {
      const wallMs = performance.now() - t0;
      return { status: 'failed', error, signal: NaN, report: NaN, metrics: { ...base, wallMs }, ...base, costSeconds: wallMs / 1000, wallMs, backend, history };
    };
    if (o.diverged) return fail(o.diverged);
    if (result.status === 'cancelled') return fail('cancelled');
    const final = { ...((result.metrics ?? {}) as Record<string, number>) };
    // A loss can turn NaN only in validation (e.g. overflowing logits on unseen data).
    const bad = ['loss', 'valLoss'].find((k) => k in final && !Number.isFinite(final[k]));
    if (bad) return fail(`training diverged: ${bad} is ${final[bad]}`);
    for (const m of [this.signal, this.report]) {
      if (!Number.isFinite(final[m])) {
        return fail(`metric "${m}" is ${m in final ? final[m] : 'not reported'}; this run reports ${Object.keys(final).join(', ')}`);
      }
    }
    const trainMs = performance.now() - t0;
    let latencyMs: number | undefined;
    if (this.opts.latency) {
      latencyMs = await this.measureLatency(o.graph, o.model, o.validation);
    }
    if (this.opts.onTrained) {
      await this.opts.onTrained(o.graph, o.model, { ...final, ...base });
    }
    const wallMs = performance.now() - t0;
    const metrics: Record<string, number> = {
      ...final,
      ...base,
      epochs: result.epochs,
      trainMs,
      wallMs,
      ...(result.bestEpoch !== null ? { bestEpoch: result.bestEpoch } : {}),
      ...(latencyMs !== undefined ? { latencyMs } : {}),
    };
    return { status: 'ok', signal: final[this.signal], report: final[this.report], metrics, ...base, costSeconds: wallMs / 1000, wallMs, backend, history };
  }

  /**
   * Median milliseconds per batch of the exported model in onnxruntime-node (default: batch
   * 64, 20 timed runs after 3 warm-up runs, 1 thread so numbers compare across machines with
   * different core counts). Inputs are validation samples, repeated to fill the batch.
   */
  private async measureLatency(graph: Graph, model: tfNs.LayersModel, val: Dataset): Promise<number> {
    const l = typeof this.opts.latency === 'object' ? this.opts.latency : {};
    const batch = l.batch ?? 64;
    const runs = l.runs ?? 20;
    const bytes = exportOnnx(graph, model, { metadata: { layerloomVersion: layerloomVersion() } });
    const ort = await import('onnxruntime-node');
    const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: l.threads ?? 1, interOpNumThreads: 1, graphOptimizationLevel: 'all' });
    try {
      const inputId = graph.order.find((id) => graph.nodes.get(id)!.kind === 'Input')!;
      const dtype = (graph.nodes.get(inputId)!.params as { dtype?: string }).dtype === 'int32' ? 'int32' : 'float32';
      const per = val.inputShape.reduce((a, b) => a * b, 1);
      const x = new Float32Array(batch * per);
      for (let i = 0; i < batch; i++) x.set(val.x.subarray((i % val.count) * per, ((i % val.count) + 1) * per), i * per);
      const data = dtype === 'int32' ? Int32Array.from(x) : x;
      const feeds = { [inputId]: new ort.Tensor(dtype, data, [batch, ...val.inputShape]) };
      for (let i = 0; i < 3; i++) await session.run(feeds);
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t = performance.now();
        await session.run(feeds);
        times.push(performance.now() - t);
      }
      return median(times);
    } finally {
      await session.release();
    }
  }

  private failed(e: unknown, t0: number): TrainEvaluation {
    const wallMs = performance.now() - t0;
    const err = e as Error;
    const node = e instanceof GraphError ? e.where.node : /node "([^"]+)"/.exec(String(err?.message))?.[1];
    return {
      status: 'failed',
      error: err?.message ?? String(e),
      ...(node ? { node } : {}),
      signal: NaN,
      report: NaN,
      metrics: { wallMs },
      costSeconds: wallMs / 1000,
      wallMs,
    };
  }
}
