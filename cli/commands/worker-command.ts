/**
 * `layerloom worker --queue redis://HOST:PORT [--concurrency N] [--threads N] [--data-dir DIR]
 * [--stall-seconds S] [--json]`: runs search trials from the queue until stopped. The first
 * SIGTERM or Ctrl+C stops taking trials and finishes those in hand; a second one exits at once,
 * and the trials in hand go back to the queue for another worker once their lock runs out
 * (`--stall-seconds`, default 30).
 */
import type { CliValues } from '../options.js';
import { intOption, UsageError } from './errors.js';

/** Runs the worker command; resolves with the exit code when the worker stops. */
export async function workerCommand(args: string[], values: CliValues): Promise<number> {
  if (args.length) throw new UsageError('worker takes no positional arguments');
  // LAYERLOOM_QUEUE keeps a password out of the command line and `ps`.
  const url = values.queue ?? (process.env.LAYERLOOM_QUEUE || undefined);
  if (!url) throw new UsageError('worker needs --queue redis://HOST:PORT (or rediss:// for TLS), or LAYERLOOM_QUEUE');
  const concurrency = intOption('concurrency', values.concurrency) ?? 1;
  const threads = intOption('threads', values.threads);
  const stallSeconds = values['stall-seconds'] === undefined ? undefined : Number(values['stall-seconds']);
  if (stallSeconds !== undefined && !(Number.isFinite(stallSeconds) && stallSeconds >= 1))
    throw new UsageError(`--stall-seconds expects a number ≥ 1, got "${values['stall-seconds']}"`);
  const json = values.json;
  const log = (line: string) => process.stderr.write(`worker: ${line}\n`);
  // Loaded here, not at start-up: the other commands do not need BullMQ and its Redis client.
  const { startQueueWorker } = await import('../../nas/runner/queue/queue-worker.js');
  const worker = await startQueueWorker({
    url,
    concurrency,
    ...(threads !== undefined && { threads }),
    ...(values['data-dir'] !== undefined && { dataDir: values['data-dir'] }),
    ...(stallSeconds !== undefined && { stallSeconds }),
    log,
    onStart: (t) => {
      if (json) process.stdout.write(`${JSON.stringify({ event: 'trial-start', ...t })}\n`);
    },
    onResult: (r) => {
      if (json)
        process.stdout.write(
          `${JSON.stringify({ event: 'trial-done', experimentId: r.experimentId, trialId: r.trialId, attempt: r.attempt, worker: r.worker, status: r.evaluation.status ?? 'ok', runMs: Math.round(r.runMs) })}\n`,
        );
    },
  });
  if (json) process.stdout.write(`${JSON.stringify({ event: 'ready', worker: worker.name })}\n`);
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = () => {
      if (stopping) {
        log('stopping now; trials in hand return to the queue when their lock runs out');
        void worker.close(true).finally(() => process.exit(143));
        return;
      }
      stopping = true;
      log('finishing the trials in hand, taking no more (send SIGTERM again to stop now)');
      void worker.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return 0;
}
