/**
 * One training run from start to finish, shared by the CLI and the server: load and check
 * the graph, load the data, then the shared training pipeline (training-pipeline.ts: fit,
 * choose the backend, compile, train) with the run store around it — create or claim the
 * run row, checkpoints, every epoch recorded (run-recorder.ts), the run's end marked. A resumed run takes
 * its graph, config and data spec from the store, so it trains exactly what it started.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type * as tfNs from '@tensorflow/tfjs';
import type { OutputSpec } from '../compile/compile.js';
import { loadTrainVal } from '../data/train-val.js';
import type { Dataset } from '../data/types.js';
import { graphHash } from '../graph/hash.js';
import { graphCost, inferShapes } from '../graph/infer.js';
import { loadGraphFromText } from '../graph/load.js';
import { assertFitsMemory, estimateTrainingMemory, memoryInputs } from '../graph/memory.js';
import type { LoomDocument } from '../graph/schema.js';
import type { Graph } from '../graph/validate.js';
import type { Tf } from '../layers/types.js';
import { openDb } from '../store/db.js';
import { RunStore } from '../store/runs.js';
import { removeStaleTemps } from '../store/stale-temps.js';
import { checkpointPath, loadCheckpoint, type Checkpoint } from '../train/checkpoint.js';
import { trainingConfigSchema, type TrainingConfig } from '../train/config.js';
import type { EvaluationResult } from '../train/evaluate.js';
import type { TrainEvent, TrainStatus } from '../train/events.js';
import { storageError } from '../util/disk-errors.js';
import { printable } from '../util/printable.js';
import { RunRecorder } from './run-recorder.js';
import type { BackendChoice } from './training-backend.js';
import { runTrainingPipeline } from './training-pipeline.js';

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
  /** Minimum milliseconds between `batch` events (the loop's default when unset, ~10/s). */
  batchEventIntervalMs?: number;
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
    const prior = opts.resume ? store.get(opts.resume) : undefined;
    if (opts.resume) {
      if (!prior) throw new Error(`run "${opts.resume}" not found in ${opts.dataDir}`);
      if (prior.status === 'completed' || prior.status === 'stopped-early')
        throw new Error(`run "${prior.id}" already finished (${prior.status}); nothing to resume`);
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
    // Before data, backend or initializer spend anything: refuse what cannot fit, naming the node.
    const shapes = inferShapes(graph);
    const memory = estimateTrainingMemory(memoryInputs(graph, shapes, graphCost(graph, shapes).perNode), {
      batchSize: config.batchSize,
      optimizer: config.optimizer.name,
    });
    assertFitsMemory(memory, os.totalmem());
    const spec = config.dataset;
    if (!spec) throw new Error('no dataset: pass --data or set training.dataset in the file');
    const data = await loadTrainVal(spec, { target: config.target, seed: config.seed, validationSplit: config.validationSplit });
    const checkpointDir = prior?.checkpointDir ?? path.join(opts.dataDir, 'runs', runId);
    let started = false;
    try {
      return await runTrainingPipeline({
        graph,
        config,
        data,
        backend: opts.backend ?? 'auto',
        onBackend: async (backend) => {
          opts.onBackend?.({ name: backend.name, reason: backend.reason });
          let resumeFrom: Checkpoint | undefined;
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
          } else {
            store.create({
              id: runId,
              project: opts.project ?? doc.name ?? 'untitled',
              graph: doc,
              graphHash: graphHash(doc),
              config,
              dataset: spec,
              backend: backend.name,
              checkpointDir,
            });
          }
          started = true;
          return resumeFrom;
        },
        loop: {
          checkpointDir,
          signal: opts.signal,
          batchEventIntervalMs: opts.batchEventIntervalMs,
          callbacks: [new RunRecorder(store, runId, config.epochs)],
          onEvent: (e: TrainEvent) => opts.onEvent?.({ ...e, runId }),
        },
        trained: async ({ backend, compiled, output, result, validation, sampleShape, evaluate }) => {
          if (opts.afterTrain && result.status !== 'cancelled') {
            await opts.afterTrain({
              runId,
              status: result.status,
              store,
              tf: backend.tf,
              model: compiled.model,
              graph,
              output,
              validation,
              sampleShape,
              evaluate,
            });
          }
          const metrics = (result.metrics ?? {}) as Record<string, number>;
          store.finish(runId, result.status, metrics);
          return { runId, status: result.status, metrics, bestEpoch: result.bestEpoch };
        },
      });
    } catch (e) {
      // The real cause (e.g. ENOSPC of a checkpoint) must survive a second failure here: on a
      // full disk marking the run failed may fail too, and that error would hide the first.
      const cause = storageError(e, path.join(opts.dataDir, 'layerloom.db'));
      if (started) markFailed(store, runId, cause);
      throw cause;
    }
  } catch (e) {
    // SQLite says "database or disk is full" without a path: name the file and the cause.
    throw storageError(e, path.join(opts.dataDir, 'layerloom.db'));
  } finally {
    db.close();
  }
}
