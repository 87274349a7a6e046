/**
 * A search worker process (forked by {@link WorkerPool} through worker-launcher.js). It builds
 * the experiment's evaluator once from the stored config with the same registry code as the
 * in-process runner, then evaluates one key per `eval` message and answers with a `result`
 * (or `error`, for an evaluator that throws). A job that carries a concrete graph (queue
 * trials) trains that graph instead of materializing the key again. It exits when the parent disconnects, so a
 * killed runner never leaves workers behind.
 *
 * Test hooks (only tests set them; they exercise crash and kill handling through real
 * processes): when `LAYERLOOM_TEST_CRASH_KEY` equals a key, evaluating that key makes the
 * process exit with code 3 before answering, as a crashing native backend would;
 * `LAYERLOOM_TEST_CRASH_ONCE=FILE` makes the first evaluation exit so (creating FILE; later ones,
 * in any process, see FILE and run); `LAYERLOOM_TEST_TRIAL_DELAY_MS` makes every evaluation take
 * that long first, so a test can kill a worker mid-trial.
 */
import fs from 'node:fs';
import { parseExperimentConfig } from './config.js';
import { defaultDeps, spaceOf } from './registry.js';
import type { Evaluator } from '../evaluators/types.js';
import { TrainEvaluator } from '../evaluators/train.js';
import type { LoomDocument } from '../../engine/graph/schema.js';

import { TEST_CRASH_EXIT_CODE, type FromWorker, type ToWorker } from './worker-messages.js';

export type { FromWorker, ToWorker } from './worker-messages.js';

let evaluator: Evaluator | undefined;

function send(m: FromWorker): void {
  process.send!(m);
}

async function onMessage(m: ToWorker): Promise<void> {
  if (m.type === 'init') {
    try {
      const config = parseExperimentConfig(m.config);
      evaluator = defaultDeps.evaluator(config, spaceOf(config));
      send({ type: 'ready' });
    } catch (e) {
      send({ type: 'init-error', message: (e as Error).message });
    }
    return;
  }
  if (process.env.LAYERLOOM_TEST_CRASH_KEY !== undefined && process.env.LAYERLOOM_TEST_CRASH_KEY === m.key) process.exit(TEST_CRASH_EXIT_CODE);
  const once = process.env.LAYERLOOM_TEST_CRASH_ONCE;
  if (once !== undefined && !fs.existsSync(once)) {
    fs.writeFileSync(once, m.key);
    process.exit(TEST_CRASH_EXIT_CODE);
  }
  const delay = Number(process.env.LAYERLOOM_TEST_TRIAL_DELAY_MS ?? 0);
  if (delay > 0) await new Promise((res) => setTimeout(res, delay));
  try {
    // A queue job carries the concrete graph (validated by the queue worker): train exactly it.
    const evaluation =
      m.graph !== undefined && evaluator instanceof TrainEvaluator
        ? await evaluator.evaluateDocument(m.graph as LoomDocument)
        : await evaluator!.evaluate(m.key);
    send({ type: 'result', job: m.job, evaluation });
  } catch (e) {
    send({ type: 'error', job: m.job, message: (e as Error).message });
  }
}

if (!process.send) throw new Error('nas/runner/worker.ts runs as a forked worker process');
process.on('message', (m: ToWorker) => void onMessage(m));
process.on('disconnect', () => process.exit(0));
