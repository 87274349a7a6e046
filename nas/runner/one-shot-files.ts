/**
 * Files of a weight-sharing experiment, beside the database in `<data dir>/experiments/<id>/`:
 *
 * - `last.ckpt`: the supernet after the last finished epoch (shared weights and their moving
 *   statistics, the weights' optimizer slots, the strategy's state: α and its Adam slots, the
 *   ENAS controller, Rng states). The engine's checkpoint format, written atomically, so a
 *   process killed at any moment leaves the previous epoch's file intact;
 * - `found.loom.json`: the found architecture as a concrete graph (its space's training section
 *   kept, so `layerloom train found.loom.json` retrains it);
 * - `found/last.ckpt`: that graph's weights as the supernet had them (BatchNorm statistics
 *   re-estimated on its own path), so `layerloom export found.loom.json --weights …/found`
 *   exports it without retraining.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../../engine/store/db.js';
import { checkpointPath, loadCheckpoint, saveCheckpoint, type Checkpoint } from '../../engine/train/checkpoint.js';
import type { EpochMetrics } from '../../engine/train/events.js';
import type { SavedTensor } from '../../engine/train/saved-tensor.js';
import { writeFileAtomic } from '../../engine/util/atomic.js';
import type { OneShotState } from '../strategies/one-shot.js';
import type { Sample } from '../space/types.js';
import { batchAt, batchBounds, type SearchData } from '../supernet/data.js';
import { extractSubnet } from '../supernet/extract.js';
import type { Supernet } from '../supernet/supernet.js';

/** The folder of an experiment's files. */
export function experimentDir(db: Db, id: string): string {
  return path.join(path.dirname(db.name), 'experiments', id);
}

/** What a supernet checkpoint restores. */
export interface SupernetCheckpoint {
  /** Epochs finished. */
  epoch: number;
  history: Record<string, number>[];
  bank: SavedTensor[];
  weightsOptimizer: SavedTensor[];
  strategy: OneShotState;
}

const W = 'w:';
const S = 's:';

/** Writes the checkpoint of a finished epoch (atomically replacing the previous one). */
export async function saveSupernet(dir: string, seed: number, c: SupernetCheckpoint): Promise<void> {
  const ckpt: Checkpoint & { oneShot: unknown } = {
    epoch: c.epoch,
    globalStep: 0,
    seed,
    rngState: 0,
    optimizer: 'momentum',
    best: { monitor: 'loss', value: null, epoch: 0 },
    history: c.history as unknown as EpochMetrics[],
    savedAt: new Date().toISOString(),
    modelWeights: c.bank,
    optimizerWeights: [...c.weightsOptimizer.map((t) => ({ ...t, name: W + t.name })), ...c.strategy.tensors.map((t) => ({ ...t, name: S + t.name }))],
    oneShot: c.strategy.json,
  };
  await saveCheckpoint(dir, 'last', ckpt);
}

/** The last supernet checkpoint, or null when no epoch finished yet. */
export async function loadSupernet(dir: string): Promise<SupernetCheckpoint | null> {
  if (!fs.existsSync(checkpointPath(dir, 'last'))) return null;
  const ckpt = (await loadCheckpoint(dir, 'last')) as Checkpoint & { oneShot?: unknown };
  const group = (prefix: string) => ckpt.optimizerWeights.filter((t) => t.name.startsWith(prefix)).map((t) => ({ ...t, name: t.name.slice(prefix.length) }));
  return {
    epoch: ckpt.epoch,
    history: ckpt.history as unknown as Record<string, number>[],
    bank: ckpt.modelWeights,
    weightsOptimizer: group(W),
    strategy: { json: ckpt.oneShot ?? null, tensors: group(S) },
  };
}

/** Paths of the found architecture's files. */
export interface FoundFiles {
  /** The concrete `.loom.json`. */
  graph: string;
  /** Folder with `last.ckpt`, for `export --weights`. */
  weights: string;
}

/**
 * Writes the found architecture's graph and its supernet weights (BatchNorm statistics
 * re-estimated on up to 8 training batches of its path).
 */
export async function writeFound(dir: string, net: Supernet, s: Sample, data: SearchData, metrics: Record<string, number>): Promise<FoundFiles> {
  const tf = net.tf;
  const order = Int32Array.from({ length: data.train.count }, (_, i) => i);
  const bounds = batchBounds(data.train.count, 64).slice(0, 9);
  const batches = bounds.slice(0, -1).map((b, i) => batchAt(tf, data.train, data.plan, order, b, bounds[i + 1]));
  try {
    const sub = await extractSubnet(net, s, { recalibrate: batches.map((b) => b.x) });
    sub.model.dispose();
    fs.mkdirSync(dir, { recursive: true });
    const graph = path.join(dir, 'found.loom.json');
    writeFileAtomic(graph, `${JSON.stringify(sub.doc, null, 2)}\n`);
    const weights = path.join(dir, 'found');
    await saveCheckpoint(weights, 'last', {
      epoch: 0,
      globalStep: 0,
      seed: net.seed,
      rngState: 0,
      optimizer: 'none',
      best: { monitor: 'supernetAccuracy', value: metrics.supernetAccuracy ?? null, epoch: 0 },
      history: [],
      savedAt: new Date().toISOString(),
      modelWeights: sub.weights,
      optimizerWeights: [],
    });
    return { graph, weights };
  } finally {
    for (const b of batches) tf.dispose([b.x, b.y]);
  }
}
