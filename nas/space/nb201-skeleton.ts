/**
 * The `nb201` cell space trained for real: NAS-Bench-201's six edge decisions (keys are the
 * benchmark's cell strings) driving every Cell of a small macro skeleton, so a search finds a
 * cell string that can be looked up in the NB201 tables and a concrete graph that trains.
 *
 * The skeleton follows NAS-Bench-201's macro structure scaled down for a laptop: a 3×3
 * conv + BatchNorm stem, `stages` stages of `cells` cells each (one shared genotype, as in the
 * benchmark), a 2×2 average pool between stages (NB201 uses a residual reduction block; the
 * pool keeps the skeleton parameter-free outside the cells), BatchNorm + ReLU, global average
 * pooling and a softmax classifier.
 */
import type { LoomDocument } from '../../engine/graph/schema.js';
import type { WeightSharingSpace } from './drawn.js';
import { drawnSpace, type DrawnSpace } from './drawn.js';
import { NB201_EDGES, Nb201Space } from './nb201.js';
import type { Sample } from './types.js';

/** Shape of a skeleton. */
export interface SkeletonOptions {
  /** Per-sample input shape, [height, width, channels]. */
  inputShape: number[];
  /** Number of classes of the task. */
  classes: number;
  /** Channels of the stem and every cell (default 16, NB201's first stage). */
  channels?: number;
  /** Cells per stage (default 1; NB201 uses 5). */
  cells?: number;
  /** Stages (default 2; NB201 uses 3). */
  stages?: number;
  /** Written into the document's `training.dataset`, so the found graph trains as is. */
  dataset?: string;
}

/** The skeleton document: Cell nodes `cell<stage>_<k>` without per-cell decisions of their own. */
export function nb201SkeletonDoc(o: SkeletonOptions): LoomDocument {
  const c = o.channels ?? 16;
  const cells = o.cells ?? 1;
  const stages = o.stages ?? 2;
  if (o.inputShape.length !== 3) throw new Error(`nb201 skeleton: input must be an image [height, width, channels], got [${o.inputShape}]`);
  const nodes: LoomDocument['nodes'] = [];
  const edges: LoomDocument['edges'] = [];
  let y = 0;
  const add = (id: string, kind: string, params: Record<string, unknown> = {}) => {
    const prev = nodes.at(-1);
    nodes.push({ id, kind, params, position: { x: 200, y: (y += 100) } });
    if (prev) edges.push({ source: prev.id, sourcePort: 'out', target: id, targetPort: 'in' });
  };
  add('image', 'Input', { shape: o.inputShape });
  add('stem', 'Conv2D', { filters: c, kernelSize: 3, padding: 'same', useBias: false });
  add('stem_bn', 'BatchNorm', { momentum: 0.9 });
  for (let s = 1; s <= stages; s++) {
    if (s > 1) add(`reduce${s}`, 'AvgPool2D', { poolSize: 2 });
    for (let k = 1; k <= cells; k++) add(`cell${s}_${k}`, 'Cell');
  }
  // NB201's "lastact": BatchNorm + ReLU before pooling, so the classifier sees normalized
  // features whatever the cell sums up to.
  add('last_bn', 'BatchNorm', { momentum: 0.9 });
  add('last_relu', 'Activation', { fn: 'relu' });
  add('gap', 'GlobalAvgPool');
  add('logits', 'Dense', { units: o.classes, activation: 'softmax' });
  add('label', 'Output', { loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return {
    version: 1,
    name: 'nb201-skeleton',
    description: `NAS-Bench-201 cell space: ${stages} stage(s) of ${cells} cell(s) at ${c} channels sharing one cell`,
    nodes,
    edges,
    ...(o.dataset !== undefined && { training: { dataset: o.dataset } }),
  } as LoomDocument;
}

/** The nb201 space over a skeleton: NB201 keys and decisions, samples that materialize and train. */
export class Nb201SkeletonSpace extends Nb201Space implements WeightSharingSpace {
  private readonly cells: string[];

  constructor(readonly drawn: DrawnSpace) {
    super();
    this.cells = [...drawn.model.cells.keys()];
    const expected = this.cells.flatMap((cell) => NB201_EDGES.map((e) => `${cell}.${e}`));
    const got = drawn.decisions.map((d) => d.name);
    if (this.cells.length === 0 || got.length !== expected.length || got.some((d) => !expected.includes(d))) {
      throw new Error(`nb201 skeleton: the document must hold Cell nodes and no other searchable part (decisions: ${got.join(', ') || 'none'})`);
    }
  }

  /** Every Cell takes the sample's six ops. */
  toDrawn(s: Sample): Sample {
    this.toIndices(s);
    return Object.fromEntries(this.cells.flatMap((cell) => NB201_EDGES.map((e) => [`${cell}.${e}`, s[e]])));
  }

  sourceOf(drawnDecision: string): string {
    return drawnDecision.slice(drawnDecision.lastIndexOf('.') + 1);
  }

  /** The concrete skeleton with this cell in every Cell node. */
  materialize(s: Sample): LoomDocument {
    return this.drawn.materialize(this.toDrawn(s));
  }
}

/** The nb201 space over a skeleton's `.loom.json` text (as stored with an experiment). */
export function nb201SkeletonSpace(text: string): Nb201SkeletonSpace {
  return new Nb201SkeletonSpace(drawnSpace(text));
}
