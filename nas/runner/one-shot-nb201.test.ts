// Weight-sharing search for real, on the nb201 cell space over a small image task (the
// embedded 8×8 digits, NB201 skeleton of 2 stages × 1 cell at 8 channels): SPOS, ENAS and
// DARTS each finish well under 10 minutes here, and the cell each finds, retrained from
// scratch, beats the mean of 5 random cells retrained the same way (nas/runner/retrain.ts).
// Each found cell is also looked up in the NAS-Bench-201 CIFAR-10 table and reported.
// Everything is seeded: the figures below are the same on every run on this machine.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateDocument } from '../../engine/graph/validate.js';
import { Rng } from '../../engine/util/rng.js';
import { nb201SkeletonSpace, type Nb201SkeletonSpace } from '../space/nb201-skeleton.js';
import type { OneShotName } from '../strategies/one-shot.js';
import { runExperiment } from './experiment.js';
import { nb201Lookup, oneShotConfig } from './one-shot-config.js';
import { retrain } from './retrain.js';
import { useTempDbs } from './test-db.testkit.js';

const TABLE = path.join(import.meta.dirname, '../../../shared/data/nasbench201/nb201_cifar10.json');
const tmpDb = useTempDbs('loom-oneshot-nb201-');

/** The task, the skeleton and the retraining every cell gets. */
const TASK = { dataset: 'digits', channels: 8, seed: 0, retrainEpochs: 10 } as const;
/** Supernet epochs per strategy: DARTS runs every op each step, so it gets fewer. */
const EPOCHS: Record<OneShotName, number> = { spos: 15, enas: 15, darts: 8 };

let space: Nb201SkeletonSpace;
let randomMean = NaN;

/** Five valid random cells (seeded), each retrained by the protocol. */
beforeAll(async () => {
  const config = await oneShotConfig({
    strategy: 'spos',
    supernet: { dataset: TASK.dataset, epochs: 1 },
    seed: TASK.seed,
    skeleton: { channels: TASK.channels },
  });
  space = nb201SkeletonSpace(config.spaceDoc!);
  const rng = new Rng(100);
  const accs: number[] = [];
  while (accs.length < 5) {
    const key = space.key(space.sample(rng));
    try {
      validateDocument(space.materialize(space.fromKey(key)));
    } catch {
      continue; // an empty cell (every path crosses "none") is not a network
    }
    accs.push((await retrain(space, key, { dataset: TASK.dataset, epochs: TASK.retrainEpochs })).signal);
  }
  randomMean = accs.reduce((a, b) => a + b, 0) / accs.length;
  console.log(`5 random cells retrained: ${accs.map((a) => a.toFixed(3)).join(' ')} (mean ${randomMean.toFixed(3)})`);
}, 300_000);

describe('weight-sharing search on the nb201 cell space over digits', () => {
  for (const strategy of ['spos', 'enas', 'darts'] as const) {
    it(`${strategy}: the found cell, retrained, beats the mean of 5 random cells`, async () => {
      const t0 = performance.now();
      const config = await oneShotConfig({
        strategy,
        supernet: { dataset: TASK.dataset, epochs: EPOCHS[strategy] },
        seed: TASK.seed,
        skeleton: { channels: TASK.channels },
      });
      const r = await runExperiment({ db: tmpDb(), config });
      const seconds = (performance.now() - t0) / 1000;
      expect(r.status).toBe('completed');
      // The wall time is logged below (a figure, not a bound: the test's own timeout is the cap).
      const cell = r.found!.arch;
      expect(space.fromKey(cell)).toBeDefined();
      const retrained = (await retrain(space, cell, { dataset: TASK.dataset, epochs: TASK.retrainEpochs })).signal;
      const cifar = fs.existsSync(TABLE) ? nb201Lookup(TABLE, cell) : undefined;
      console.log(
        `${strategy}: ${cell} in ${seconds.toFixed(0)} s; retrained ${retrained.toFixed(3)} vs random mean ${randomMean.toFixed(3)}` +
          (cifar ? `; NAS-Bench-201 CIFAR-10 valid ${cifar.valid} test ${cifar.test}` : ''),
      );
      expect(retrained).toBeGreaterThan(randomMean);
      if (cifar) expect(cifar.test).toBeGreaterThan(10);
    }, 600_000);
  }
});
