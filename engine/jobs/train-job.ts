/**
 * One training run from start to finish, shared by the CLI and (later) the server: load and
 * check the graph, pick the backend, load and fit the data, compile, create the run row,
 * train with checkpoints, record every epoch, and mark the run's end. A resumed run takes
 * its graph, config and data spec from the store, so it trains exactly what it started.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { compileGraph } from '../compile/compile.js';
import { loadDataset } from '../data/registry.js';
import { splitValidation, subset } from '../data/split.js';
import type { Dataset } from '../data/types.js';
import { graphHash } from '../graph/hash.js';
import { inferShapes } from '../graph/infer.js';
import { loadGraphFromText } from '../graph/load.js';
import type { LoomDocument } from '../graph/schema.js';
import { openDb } from '../store/db.js';
import { RunStore } from '../store/runs.js';
import { loadCheckpoint } from '../train/checkpoint.js';
import { trainingConfigSchema, type TrainingConfig } from '../train/config.js';
import type { TrainEvent } from '../train/events.js';
import { chooseTrainingBackend, disposeTrainingBackend, trainOnBackend, type BackendChoice } from './training-backend.js';
import { fitDataset } from './fit-data.js';

export type { BackendChoice } from './training-backend.js';

/** Inputs of a training job. Either `text` (a new run) or `resume` (a run id). */
export interface TrainJobOptions {
  /** The `.loom.json` text of a new run. */
  text?: string;
  /** Project name for the run list; defaults to the document's name. */
  project?: string;
  /** Resume this run from its last checkpoint. */
  resume?: string;
  /** Overrides of the document's training section. */
  overrides?: Partial<Pick<TrainingConfig, 'dataset' | 'target' | 'epochs' | 'batchSize' | 'limit' | 'seed'>>;
  backend?: BackendChoice;
  dataDir: string;
  signal?: AbortSignal;
  /** Receives every training event, tagged with the run id. */
  onEvent?: (e: TrainEvent & { runId: string }) => void;
  /** Receives the backend choice once known. */
  onBackend?: (info: { name: string; reason: string }) => void;
}

/** Outcome of a job. */
export interface TrainJobResult {
  runId: string;
  status: string;
  metrics: Record<string, number>;
  bestEpoch: number | null;
}

/** A run id that sorts by time and is unique across processes. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `r${stamp}-${crypto.randomBytes(3).toString('hex')}`;
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

/** Runs (or resumes) one training job to its end. Throws on bad input before the run starts. */
export async function runTrainJob(opts: TrainJobOptions): Promise<TrainJobResult> {
  const db = openDb(opts.dataDir);
  const store = new RunStore(db);
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
      runId = prior.id;
    } else {
      if (opts.text === undefined) throw new Error('nothing to train: give a graph file or --resume RUN_ID');
      doc = loadGraphFromText(opts.text).doc;
      const fromFile = doc.training ?? trainingConfigSchema.parse({});
      const o = Object.fromEntries(Object.entries(opts.overrides ?? {}).filter(([, v]) => v !== undefined));
      config = trainingConfigSchema.parse({ ...fromFile, ...o });
      runId = newRunId();
    }
    const graph = loadGraphFromText(JSON.stringify(doc));
    const shapes = inferShapes(graph);
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
      resumeFrom = await loadCheckpoint(prior.checkpointDir, 'last');
      store.claim(runId, backend.name);
    }
    const compiled = backend.compiled;
    if (!prior) {
      store.create({ id: runId, project: opts.project ?? doc.name ?? 'untitled', graph: doc, graphHash: graphHash(doc), config, dataset: spec, backend: backend.name, checkpointDir });
    }
    let epochStart = Date.now();
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
          if (e.event === 'epoch') {
            store.recordEpoch(runId, e.epoch - 1, e.metrics as Record<string, number>, Date.now() - epochStart);
            epochStart = Date.now();
          }
          if (e.event === 'checkpoint' && e.best) {
            const last = store.epochs(runId).find((x) => x.epoch === e.epoch - 1);
            if (last) store.setBest(runId, last.metrics);
          }
          opts.onEvent?.({ ...e, runId });
        },
      };
      const result = await trainOnBackend(backend, common);
      const metrics = (result.metrics ?? {}) as Record<string, number>;
      store.finish(runId, result.status, metrics);
      return { runId, status: result.status, metrics, bestEpoch: result.bestEpoch };
    } catch (e) {
      store.finish(runId, 'failed', null, (e as Error).message);
      throw e;
    } finally {
      disposeTrainingBackend(backend);
    }
  } finally {
    db.close();
  }
}
