/**
 * The one training pipeline: loaded data → the config's training subset (and an optional
 * validation subset) → fitted to the graph's Input/Output → engine chosen and the graph
 * compiled → the shared loop → trained weights written back to the tf.js model → the
 * caller's use of the result → everything disposed. The training job (train-job.ts, which
 * adds the run store) and the search's training evaluator (nas/evaluators/train.ts, which
 * adds budgets and failure reports) both run it, so a trial trains exactly as a run does.
 */
import { compileGraph, type CompiledModel, type OutputSpec } from '../compile/compile.js';
import { subset } from '../data/split.js';
import type { TrainVal } from '../data/train-val.js';
import type { Dataset } from '../data/types.js';
import { inferShapes } from '../graph/infer.js';
import type { Graph } from '../graph/validate.js';
import type { Checkpoint } from '../train/checkpoint.js';
import type { TrainingConfig } from '../train/config.js';
import { evaluateModel, type EvaluationResult } from '../train/evaluate.js';
import type { TrainOptions, TrainResult } from '../train/loop.js';
import { fitDataset } from './fit-data.js';
import { chooseTrainingBackend, disposeTrainingBackend, trainOnBackend, type BackendChoice, type TrainingBackend } from './training-backend.js';

/** Loop options the pipeline's caller decides (the data, config and output come from the pipeline). */
export type PipelineLoopOptions = Omit<TrainOptions, 'tf' | 'model' | 'output' | 'train' | 'validation' | 'config' | 'resume'>;

/** What the caller gets once training ended, before anything is disposed. */
export interface TrainedContext {
  backend: TrainingBackend;
  compiled: CompiledModel;
  output: OutputSpec;
  result: TrainResult;
  /** The training and validation sets as trained on (subset and fitted to the graph). */
  train: Dataset;
  validation: Dataset;
  /** Per-sample shape of the validation data as loaded (e.g. [8, 8, 1] while the Input takes [64]). */
  sampleShape: number[];
  /** Evaluates a fitted dataset with the engine that trained (onnxruntime or tf.js). */
  evaluate(ds: Dataset): Promise<EvaluationResult>;
}

/** Inputs of {@link runTrainingPipeline}. */
export interface TrainingPipelineOptions<T> {
  graph: Graph;
  config: TrainingConfig;
  /** The loaded, split data (engine/data/train-val.ts); `config.limit` is applied here. */
  data: TrainVal;
  /** Validation samples to keep (a seeded subset); all when unset. */
  valLimit?: number;
  backend: BackendChoice;
  /**
   * Runs once the engine is chosen, before the first step: a job creates or claims its run
   * here, and may hand back the checkpoint to resume from.
   */
  onBackend?: (backend: TrainingBackend) => void | Checkpoint | undefined | Promise<void | Checkpoint | undefined>;
  loop: PipelineLoopOptions;
  /** Uses the trained model (statistics, export, metrics); its value is the pipeline's. */
  trained: (ctx: TrainedContext) => T | Promise<T>;
}

/** Runs the pipeline; see the module comment. Throws what data fitting, the engine choice or training throws. */
export async function runTrainingPipeline<T>(o: TrainingPipelineOptions<T>): Promise<T> {
  const { graph, config } = o;
  const { data } = o;
  const rawTrain = config.limit ? subset(data.train, config.limit, config.seed) : data.train;
  const rawVal = o.valLimit && data.val.count > o.valLimit ? subset(data.val, o.valLimit, config.seed) : data.val;
  const shapes = inferShapes(graph);
  const train = fitDataset(graph, shapes, rawTrain, { targetIsInput: config.targetIsInput });
  const validation = fitDataset(graph, shapes, rawVal, { targetIsInput: config.targetIsInput });

  const backend = await chooseTrainingBackend(o.backend, { graph, compile: (tf) => compileGraph(tf, graph, { seed: config.seed }), config, train });
  try {
    const resume = (await o.onBackend?.(backend)) ?? undefined;
    const compiled = backend.compiled;
    const output = compiled.outputs[0];
    const result = await trainOnBackend(backend, { ...o.loop, output, train, validation, config, resume });
    return await o.trained({
      backend,
      compiled,
      output,
      result,
      train,
      validation,
      sampleShape: rawVal.inputShape,
      evaluate: (ds) =>
        backend.ort
          ? backend.ort.evaluate(ds, 256)
          : evaluateModel(backend.tf, compiled.model, ds, { loss: output.loss, fromLogits: output.fromLogits, targetIsInput: config.targetIsInput }),
    });
  } finally {
    disposeTrainingBackend(backend);
  }
}
