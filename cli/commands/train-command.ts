/** `layerloom train FILE | --resume RUN_ID`: trains and reports progress or JSON events. */
import type { CliValues } from '../options.js';
import { runTrainJob, type BackendChoice } from '../../engine/jobs/train-job.js';
import { defaultDataDir } from '../../engine/store/data-dir.js';
import { intOption, UsageError } from './errors.js';
import { ProgressPrinter } from './progress.js';
import { readGraphFile } from './validate-command.js';

const BACKENDS: BackendChoice[] = ['auto', 'onnxruntime', 'webgpu', 'wasm', 'cpu', 'tensorflow'];

/** Runs the train command; resolves to the exit code. */
export async function trainCommand(args: string[], values: CliValues): Promise<number> {
  if (values.resume ? args.length !== 0 : args.length !== 1) {
    throw new UsageError(values.resume ? '--resume takes no graph file (the run keeps its own graph)' : 'train takes one FILE.loom.json');
  }
  const backend = (values.backend ?? 'auto') as BackendChoice;
  if (!BACKENDS.includes(backend)) throw new UsageError(`--backend must be one of ${BACKENDS.join(', ')}, got "${values.backend}"`);
  const file = args[0];
  const json = values.json;
  const printer = new ProgressPrinter(process.stdout);
  const emit = (o: object) => process.stdout.write(`${JSON.stringify(o)}\n`);

  // First Ctrl+C cancels between batches (the run stays resumable); a second one exits.
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
    if (!json) process.stderr.write('\ncancelling after this batch (Ctrl+C again to quit now)\n');
  };
  process.on('SIGINT', onSigint);
  try {
    const result = await runTrainJob({
      text: file ? readGraphFile(file) : undefined,
      resume: values.resume,
      dataDir: values['data-dir'] ?? defaultDataDir(),
      backend,
      signal: controller.signal,
      overrides: {
        dataset: values.data,
        target: values.target,
        epochs: intOption('epochs', values.epochs),
        batchSize: intOption('batch', values.batch),
        limit: intOption('limit', values.limit),
        seed: intOption('seed', values.seed, 0),
        threads: intOption('threads', values.threads),
      },
      onBackend: (b) => (json ? emit({ event: 'backend', name: b.name, reason: b.reason }) : process.stdout.write(`backend: ${b.reason}\n`)),
      onEvent: (e) => {
        if (!json) return printer.handle(e);
        if (e.event === 'batch') return emit(e);
        if (e.event !== 'done') return emit(e);
      },
    });
    if (json) emit({ event: 'done', status: result.status, metrics: result.metrics, bestEpoch: result.bestEpoch, runId: result.runId });
    else process.stdout.write(`run id: ${result.runId}\n`);
    return result.status === 'cancelled' ? 130 : 0;
  } catch (e) {
    if (e instanceof UsageError || !file) throw e;
    throw new Error(`${file}: ${(e as Error).message}`, { cause: e });
  } finally {
    process.off('SIGINT', onSigint);
  }
}
