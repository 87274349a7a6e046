/**
 * Weight-sharing experiments: strategy `spos`, `enas` or `darts` with evaluator `supernet`.
 *
 * Two phases, both resumable after a kill:
 * 1. **Supernet training**, epoch by epoch (strategies/one-shot.ts). After each epoch the
 *    supernet, its optimizer and the strategy's state are checkpointed atomically
 *    (one-shot-files.ts) and the epoch count is stored with the experiment; a resumed search
 *    restores the checkpoint and trains the remaining epochs (an epoch cut short is trained
 *    again from its start, with the same batches and seeds). The shared weights follow SGD
 *    with momentum 0.9 and a cosine schedule, as DARTS, ENAS and SPOS do.
 * 2. **Selection**: the strategy's ask/tell selector (evolution for SPOS, policy samples for
 *    ENAS, the discretized α for DARTS) proposes candidates that the supernet evaluator
 *    scores with the shared weights. This is the ordinary sequential runner: one trial row
 *    and the selector's state per transaction, so a kill here resumes like any search.
 * The best trial is the found architecture; its concrete graph and supernet weights are
 * written beside the checkpoint.
 *
 * Events (`onSupernet`): `supernet-epoch` after each epoch's checkpoint, and `probabilities`
 * (each decision's option probabilities: softmax(α) for DARTS, the controller's policy for
 * ENAS, uniform for SPOS) a few times per epoch, with the canvas targets of each decision.
 */
import path from 'node:path';
import { initBackend } from '../../engine/backend/select.js';
import type { Db } from '../../engine/store/db.js';
import { ExperimentStore, newExperimentId } from '../../engine/store/experiments.js';
import { optimizerSchema } from '../../engine/train/config.js';
import { createOptimizer } from '../../engine/train/optimizers.js';
import { Rng } from '../../engine/util/rng.js';
import { SUPERNET_METRIC, SupernetEvaluator } from '../evaluators/supernet.js';
import { isEmptyCellMessage } from '../space/drawn-cell.js';
import { createOneShot, isOneShotName } from '../strategies/index.js';
import { drawValid, type OneShotName } from '../strategies/one-shot.js';
import type { Proposal, Strategy } from '../strategies/types.js';
import { loadSearchData } from '../supernet/data.js';
import { buildSupernet, type WeightSharingSpace } from '../supernet/supernet.js';
import { decisionTargets } from '../supernet/targets.js';
import type { ExperimentConfig } from './config.js';
import { assertShapesOk, driveSequential, zeroTiming } from './drive.js';
import type { DriveOptions, ExperimentResult, FoundArchitecture, Live } from './types.js';

export type { FoundArchitecture, SupernetEvent } from './types.js';
import { experimentDir, loadSupernet, saveSupernet, writeFound } from './one-shot-files.js';
import { configObjectives, spaceOf } from './registry.js';

/** Stored progress: epochs trained, or the selector's state once selection began. */
type Progress = { phase: 'supernet'; epoch: number } | { phase: 'select'; selector: unknown };

/** Default learning rate of the shared weights. */
const WEIGHT_LR = 0.1;
/** Default minibatch. */
const BATCH = 32;

/** True for a weight-sharing experiment. */
export function isOneShot(config: ExperimentConfig): boolean {
  return config.evaluator.spec === 'supernet';
}

/** Where a finished search left its found architecture. */
export function oneShotFound(db: Db, id: string, arch: string): FoundArchitecture {
  const dir = experimentDir(db, id);
  return { arch, graph: path.join(dir, 'found.loom.json'), weights: path.join(dir, 'found') };
}

function oneShotSpace(config: ExperimentConfig): WeightSharingSpace {
  const name = config.strategy.name;
  if (!isOneShotName(name)) throw new Error(`evaluator "supernet" needs a weight-sharing strategy (spos, enas, darts), not "${name}"`);
  if (!config.evaluator.supernet) throw new Error('evaluator "supernet" needs its options (evaluator.supernet.epochs)');
  const space = spaceOf(config);
  if (!('toDrawn' in space)) throw new Error(`space "${space.name}" has no supernet: give a drawn space, or nb201 with its skeleton`);
  return space as WeightSharingSpace;
}

/** Starts a weight-sharing experiment and runs it to the end (or until aborted). */
export async function runOneShot(opts: DriveOptions & { config: ExperimentConfig; id?: string }): Promise<ExperimentResult> {
  const config = opts.config;
  // Empty cells are invalid candidates the strategies skip, not a broken space.
  assertShapesOk(oneShotSpace(config), config.seed, isEmptyCellMessage);
  const store = new ExperimentStore(opts.db);
  const id = opts.id ?? newExperimentId();
  store.create(id, config, { phase: 'supernet', epoch: 0 } satisfies Progress);
  return drive({ id, config, store, trials: 0, counted: 0, simulated: 0, best: null }, opts);
}

/** Continues a stopped weight-sharing experiment (`live` holds the stored counters). */
export async function resumeOneShot(opts: DriveOptions & { id: string }, config: ExperimentConfig, live: Base): Promise<ExperimentResult> {
  live.store.claim(opts.id);
  return drive({ ...live, config }, opts);
}

type Base = Pick<Live, 'id' | 'config' | 'store' | 'trials' | 'counted' | 'simulated' | 'best'>;

/** Wraps the selector so its stored state says which phase the search is in. */
function tagged(selector: Strategy): Strategy {
  return {
    name: selector.name,
    ask: (n: number): Proposal[] => selector.ask(n),
    tell: (id: number, objective: number | null) => selector.tell(id, objective),
    state: (): Progress => ({ phase: 'select', selector: selector.state() }),
    restore: (s: unknown) => selector.restore((s as { selector: unknown }).selector),
  };
}

async function drive(base: Base, opts: DriveOptions): Promise<ExperimentResult> {
  const { id, config, store } = base;
  const timing = zeroTiming();
  const t0 = performance.now();
  const name = config.strategy.name as OneShotName;
  const sn = config.evaluator.supernet!;
  const finish = (status: 'completed' | 'cancelled', live: Base, found?: FoundArchitecture): ExperimentResult => {
    store.finish(id, status);
    timing.totalMs = performance.now() - t0;
    return { id, status, config, trials: live.trials, simulatedSeconds: live.simulated, best: live.best, ...(found && { found }), timing };
  };
  const { tf } = await initBackend('auto');
  const space = oneShotSpace(config);
  const net = buildSupernet(tf, space, { seed: config.seed });
  const weights = createOptimizer(tf, optimizerSchema.parse({ name: 'momentum', learningRate: sn.learningRate ?? WEIGHT_LR, momentum: 0.9 }));
  let strategy: ReturnType<typeof createOneShot> | undefined;
  try {
    const dataset = sn.dataset ?? space.drawn.model.doc.training?.dataset;
    if (!dataset) throw new Error('no dataset: give --data, or training.dataset in the space file');
    const probe = space.drawn.materialize(space.toDrawn(drawValid(net, () => space.sample(new Rng(config.seed)))));
    const data = await loadSearchData(
      { dataset, target: sn.target, seed: config.seed, limit: sn.limit, valLimit: sn.valLimit, valFraction: sn.valFraction },
      probe,
      net.output.loss,
    );
    strategy = createOneShot(name, space, net, config.seed, config.strategy.options);
    const dir = experimentDir(opts.db, id);
    const progress = store.get(id)!.strategyState as Progress;
    const ckpt = await loadSupernet(dir);
    const history: Record<string, number>[] = [];
    if (ckpt) {
      net.bank.restore(ckpt.bank);
      await weights.setState(ckpt.weightsOptimizer);
      await strategy.restoreState(ckpt.strategy);
      history.push(...ckpt.history);
    }
    const batchSize = sn.batchSize ?? BATCH;
    const stepsPerEpoch = Math.ceil(data.train.count / batchSize);
    const targets = decisionTargets(space);
    const emitProbabilities = (epoch: number, step: number) => {
      if (!opts.onSupernet) return;
      const probs = strategy!.probabilities();
      const choices = Object.fromEntries(space.decisions.map((d) => [d.name, Object.fromEntries(d.options.map((o, i) => [String(o), probs[d.name][i]]))]));
      opts.onSupernet({ event: 'probabilities', experimentId: id, strategy: name, epoch, step, choices, targets });
    };
    if (progress.phase === 'supernet') {
      for (let e = (ckpt?.epoch ?? 0) + 1; e <= sn.epochs; e++) {
        if (opts.signal?.aborted) return finish('cancelled', base);
        const lr0 = sn.learningRate ?? WEIGHT_LR;
        weights.setLearningRate(lr0 * 0.5 * (1 + Math.cos((Math.PI * (e - 1)) / sn.epochs)));
        const te = performance.now();
        const every = Math.max(1, Math.ceil(stepsPerEpoch / 4));
        const res = await strategy.trainEpoch({
          net,
          data,
          epoch: e,
          epochs: sn.epochs,
          batchSize,
          seed: config.seed,
          weights,
          signal: opts.signal,
          // SPOS's sampling never changes: its probabilities go out once per epoch.
          onStep: (step, steps) => {
            if (name !== 'spos' && (step + 1) % every === 0 && step + 1 < steps) emitProbabilities(e, (e - 1) * stepsPerEpoch + step + 1);
          },
        });
        if (!res) return finish('cancelled', base);
        history.push(res.metrics);
        await saveSupernet(dir, config.seed, {
          epoch: e,
          history,
          bank: await net.bank.save(),
          weightsOptimizer: await weights.getState(),
          strategy: await strategy.saveState(),
        });
        store.saveStrategyState(id, { phase: 'supernet', epoch: e } satisfies Progress);
        const derived = strategy.derived();
        opts.onSupernet?.({
          event: 'supernet-epoch',
          experimentId: id,
          strategy: name,
          epoch: e,
          epochs: sn.epochs,
          metrics: res.metrics,
          derived: derived && space.key(derived),
          seconds: (performance.now() - te) / 1000,
        });
        emitProbabilities(e, e * stepsPerEpoch);
      }
    }
    const selector = strategy.selector(config.seed);
    if (progress.phase === 'select') selector.restore(progress.selector);
    const live: Live = { ...base, space, strategy: tagged(selector), evaluator: new SupernetEvaluator(net, data), objectives: configObjectives(config) };
    if ((await driveSequential(live, opts, timing)) === 'cancelled') return finish('cancelled', live);
    const found = live.best ? { arch: live.best.key, ...(await writeFound(dir, net, space.fromKey(live.best.key), data, live.best.metrics)) } : undefined;
    store.clearPending(id);
    return finish('completed', live, found);
  } catch (e) {
    store.finish(id, 'failed', (e as Error).message);
    throw e;
  } finally {
    strategy?.dispose();
    weights.dispose();
    net.dispose();
  }
}

export { SUPERNET_METRIC };
