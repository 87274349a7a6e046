/**
 * One training run from start to finish, shared by the CLI and (later) the server: load and
 * check the graph, pick the backend, load and fit the data, compile, create the run row,
 * train with checkpoints, record every epoch, and mark the run's end. A resumed run takes
 * its graph, config and data spec from the store, so it trains exactly what it started.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type * as tfNs from '@tensorflow/tfjs';
import { compileGraph, type OutputSpec } from '../compile/compile.js';
import { loadDataset } from '../data/registry.js';
import { splitValidation, subset } from '../data/split.js';
import type { Dataset } from '../data/types.js';
import { graphHash } from '../graph/hash.js';
import { graphCost, inferShapes } from '../graph/infer.js';
import { loadGraphFromText } from '../graph/load.js';
import { assertFitsMemory, estimateTrainingMemory, memoryInputs } from '../graph/memory.js';
import type { LoomDocument } from '../graph/schema.js';
import type { Graph } from '../graph/validate.js';
import type { Tf } from '../layers/types.js';
import { openDb } from '../store/db.js';
import { RunStore, type RunPoint } from '../store/runs.js';
import { removeStaleTemps } from '../store/stale-temps.js';
import { checkpointPath, loadCheckpoint } from '../train/checkpoint.js';
import { trainingConfigSchema, type TrainingConfig } from '../train/config.js';
import { evaluateModel, type EvaluationResult } from '../train/evaluate.js';
import type { TrainEvent, TrainStatus } from '../train/events.js';
import { evenlySpacedIndices } from '../train/metrics.js';
import { storageError } from '../util/disk-errors.js';
import { printable } from '../util/printable.js';
import { chooseTrainingBackend, disposeTrainingBackend, trainOnBackend, type BackendChoice } from './training-backend.js';
import { fitDataset } from './fit-data.js';

export type { BackendChoice } from './training-backend.js';

/** Inputs of a training job. Either `text` (a new run) or `resume` (a run id). */
export interface TrainJobOptions {
  /** The `.loom.json` text of a new run. */
  text?: string;
  /** Project name for the run list; defaults to the document's name. */
  project?: string;
  /** Resume this run from its last checkpoint (from the start when it has none yet). */
  resume?: string;
  /** Id for a new run (a job manager allocates it before the job starts); a fresh one when absent. */
  runId?: string;
  /** Overrides of the document's training section. */
  overrides?: Partial<Pick<TrainingConfig, 'dataset' | 'target' | 'epochs' | 'batchSize' | 'limit' | 'seed' | 'threads'>>;
  backend?: BackendChoice;
  dataDir: string;
  signal?: AbortSignal;
  /** Receives every training event, tagged with the run id. */
  onEvent?: (e: TrainEvent & { runId: string }) => void;
  /** Receives the backend choice once known. */
  onBackend?: (info: { name: string; reason: string }) => void;
  /**
   * Runs once training has ended (not when cancelled), with the trained weights in the tf.js
   * model, before the run's final status is stored: end-of-run evaluation and statistics.
   */
  afterTrain?: (ctx: AfterTrainContext) => Promise<void>;
}

/** What {@link TrainJobOptions.afterTrain} gets. */
export interface AfterTrainContext {
  runId: string;
  status: TrainStatus;
  store: RunStore;
  tf: Tf;
  /** The trained model (layer names = node ids). */
  model: tfNs.LayersModel;
  graph: Graph;
  output: OutputSpec;
  /** The validation set, fitted to the graph's Input. */
  validation: Dataset;
  /** Per-sample shape of the data as loaded (e.g. [8, 8, 1] while the Input takes [64]). */
  sampleShape: number[];
  /** Evaluates a fitted dataset with the engine that trained (onnxruntime or tf.js). */
  evaluate(ds: Dataset): Promise<EvaluationResult>;
}

/** Outcome of a job. */
export interface TrainJobResult {
  runId: string;
  status: TrainStatus;
  metrics: Record<string, number>;
  bestEpoch: number | null;
}

/** A run id that sorts by time and is unique across processes. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `r${stamp}-${crypto.randomBytes(3).toString('hex')}`;
}

/** Batch points kept per epoch for the run's charts: about 2,000 over the run, 5 to 50 an epoch. */
function pointsPerEpoch(epochs: number): number {
  return Math.max(5, Math.min(50, Math.round(2000 / epochs)));
}

/** Loads the dataset named by the config and splits it into train and validation. */
async function prepareData(config: TrainingConfig): Promise<{ train: Dataset; val: Dataset; spec: string }> {
  const spec = config.dataset;
  if (!spec) throw new Error('no dataset: pass --data or set training.dataset in the file');
  const ds = await loadDataset(spec, { target: config.target, seed: config.seed });
  if (ds.test) {
    const train = config.limit ? subset(ds, config.limit, config.seed) : ds;
    return { train: { ...train, test: undefined }, val: { ...ds.test, name: `${ds.name}:test` }, spec };
  }
  const { train, val } = splitValidation(ds, config.validationSplit, config.seed);
  return { train: config.limit ? subset(train, config.limit, config.seed) : train, val, spec };
}

/**
 * Stores a run as failed with the reason. When even that cannot be written (the disk is still
 * full) the run stays 'running' under this pid, and the next store opened after this process
 * ends marks it interrupted (resumable); the caller reports the original error either way.
 */
function markFailed(store: RunStore, runId: string, cause: unknown): void {
  try {
    store.finish(runId, 'failed', null, printable((cause as Error).message ?? String(cause)));
  } catch (second) {
    process.stderr.write(`layerloom: could not mark run ${runId} failed: ${(second as Error).message}\n`);
  }
}

/** Runs (or resumes) one training job to its end. Throws on bad input before the run starts. */
export async function runTrainJob(opts: TrainJobOptions): Promise<TrainJobResult> {
  const db = openDb(opts.dataDir);
  const store = new RunStore(db);
  // Temp files of checkpoint writes killed mid-way (kill -9) would hold their space forever.
  removeStaleTemps(opts.dataDir);
  try {
    let doc: LoomDocument;
    let config: TrainingConfig;
    let runId: string;
    let resumeFrom = undefined;
    const prior = opts.resume ? store.get(opts.resume) : undefined;
    if (opts.resume) {
      if (!prior) throw new Error(`run "${opts.resume}" not found in ${opts.dataDir}`);
      if (prior.status === 'completed' || prior.status === 'stopped-early') throw new Error(`run "${prior.id}" already finished (${prior.status}); nothing to resume`);
      doc = prior.graph as LoomDocument;
      config = trainingConfigSchema.parse(prior.config);
      // Threads are this machine's setting, not the run's: --threads applies on resume too.
      if (opts.overrides?.threads !== undefined) config = { ...config, threads: opts.overrides.threads };
      runId = prior.id;
    } else {
      if (opts.text === undefined) throw new Error('nothing to train: give a graph file or --resume RUN_ID');
      doc = loadGraphFromText(opts.text).doc;
      const fromFile = doc.training ?? trainingConfigSchema.parse({});
      const o = Object.fromEntries(Object.entries(opts.overrides ?? {}).filter(([, v]) => v !== undefined));
      config = trainingConfigSchema.parse({ ...fromFile, ...o });
      runId = opts.runId ?? newRunId();
    }
    const graph = loadGraphFromText(JSON.stringify(doc));
    const shapes = inferShapes(graph);
    // Before data, backend or initializer spend anything: refuse what cannot fit, naming the node.
    const memory = estimateTrainingMemory(memoryInputs(graph, shapes, graphCost(graph, shapes).perNode), { batchSize: config.batchSize, optimizer: config.optimizer.name });
    assertFitsMemory(memory, os.totalmem());
    const { train: rawTrain, val: rawVal, spec } = await prepareData(config);
    const train = fitDataset(graph, shapes, rawTrain, { targetIsInput: config.targetIsInput });
    const val = fitDataset(graph, shapes, rawVal, { targetIsInput: config.targetIsInput });

    const backend = await chooseTrainingBackend(opts.backend ?? 'auto', {
      graph,
      compile: (tf) => compileGraph(tf, graph, { seed: config.seed }),
      config,
      train,
    });
    opts.onBackend?.({ name: backend.name, reason: backend.reason });
    const checkpointDir = prior?.checkpointDir ?? path.join(opts.dataDir, 'runs', runId);
    if (prior) {
      // A run killed before its first epoch ended has no checkpoint: it starts over.
      if (fs.existsSync(checkpointPath(prior.checkpointDir, 'last'))) resumeFrom = await loadCheckpoint(prior.checkpointDir, 'last');
      // The checkpoint is written just before its epoch's row: a kill in between leaves the
      // checkpoint's history ahead of the store, so the missing rows are filled in from it.
      const stored = new Set(store.epochs(runId).map((r) => r.epoch));
      resumeFrom?.history.forEach((m, epoch) => {
        if (!stored.has(epoch)) store.recordEpoch(runId, epoch, m as Record<string, number>, 0);
      });
      store.claim(runId, backend.name);
    }
    const compiled = backend.compiled;
    if (!prior) {
      store.create({ id: runId, project: opts.project ?? doc.name ?? 'untitled', graph: doc, graphHash: graphHash(doc), config, dataset: spec, backend: backend.name, checkpointDir });
    }
    let epochStart = Date.now();
    let stepsPerEpoch = 1;
    let batchPoints: RunPoint[] = [];
    let bestEpoch = 0;
    try {
      const common = {
        output: compiled.outputs[0],
        train,
        validation: val,
        config,
        checkpointDir,
        resume: resumeFrom,
        signal: opts.signal,
        onEvent: (e: TrainEvent) => {
          if (e.event === 'start') stepsPerEpoch = e.stepsPerEpoch;
          if (e.event === 'batch') {
            batchPoints.push({ kind: 'batch', step: e.epoch - 1 + e.batch / stepsPerEpoch, data: { loss: e.loss, lr: e.lr, samplesPerSec: e.samplesPerSec } });
          }
          if (e.event === 'epoch') {
            const kept = evenlySpacedIndices(batchPoints.length, pointsPerEpoch(config.epochs)).map((i) => batchPoints[i]);
            const epochPoint: RunPoint = { kind: 'epoch', step: e.epoch, data: { lr: e.lr, samplesPerSec: e.samplesPerSec, durationMs: e.durationMs } };
            store.recordEpoch(runId, e.epoch - 1, e.metrics as Record<string, number>, Date.now() - epochStart, [...kept, epochPoint]);
            batchPoints = [];
            epochStart = Date.now();
          }
          // The best checkpoint of an epoch is written before its epoch event.
          if (e.event === 'checkpoint' && e.best) bestEpoch = e.epoch;
          if (e.event === 'epoch' && e.epoch === bestEpoch) store.setBest(runId, e.metrics as Record<string, number>);
          opts.onEvent?.({ ...e, runId });
        },
      };
      const result = await trainOnBackend(backend, common);
      if (opts.afterTrain && result.status !== 'cancelled') {
        const output = compiled.outputs[0];
        await opts.afterTrain({
          runId,
          status: result.status,
          store,
          tf: backend.tf,
          model: compiled.model,
          graph,
          output,
          validation: val,
          sampleShape: rawVal.inputShape,
          evaluate: (ds) =>
            backend.ort ? backend.ort.evaluate(ds, 256) : evaluateModel(backend.tf, compiled.model, ds, { loss: output.loss, fromLogits: output.fromLogits, targetIsInput: config.targetIsInput }),
        });
      }
      const metrics = (result.metrics ?? {}) as Record<string, number>;
      store.finish(runId, result.status, metrics);
      return { runId, status: result.status, metrics, bestEpoch: result.bestEpoch };
    } catch (e) {
      // The real cause (e.g. ENOSPC of a checkpoint) must survive a second failure here: on a
      // full disk marking the run failed may fail too, and that error would hide the first.
      const cause = storageError(e, path.join(opts.dataDir, 'layerloom.db'));
      markFailed(store, runId, cause);
      throw cause;
    } finally {
      disposeTrainingBackend(backend);
    }
  } catch (e) {
    // SQLite says "database or disk is full" without a path: name the file and the cause.
    throw storageError(e, path.join(opts.dataDir, 'layerloom.db'));
  } finally {
    db.close();
  }
}
