/**
 * Drawn search spaces: a `.loom.json` document with searchable parts (see drawn-parse.ts for
 * the representation) as a {@link SearchSpace} whose samples materialize into concrete graphs.
 *
 * Sampling, mutation and keys are the shared categorical machinery (`name=value` pairs in
 * decision order), so every strategy works on drawn spaces unchanged. A concrete graph is a
 * space of size 1 with no decisions: its only sample is `{}` and its key is the empty string.
 */
import { parseDocument, parseJson } from '../../engine/graph/load.js';
import type { LoomDocument } from '../../engine/graph/schema.js';
import type { Rng } from '../../engine/util/rng.js';
import { CategoricalSpace } from './categorical.js';
import { cellString } from './drawn-cell.js';
import { shapeCheckSpace, spaceExtremes, type Extremes, type ShapeCheck } from './drawn-check.js';
import { materializeModel, type Materialized } from './drawn-materialize.js';
import { parseSpace, type SpaceModel } from './drawn-parse.js';
import type { Decision, DecisionValue, Sample, SearchSpace } from './types.js';

export { hasSearchableParts, isSearchableValue } from './drawn-parse.js';
export type { Extreme, Extremes, ShapeCheck } from './drawn-check.js';

/**
 * A space a supernet serves: the decisions strategies see, and how they drive a drawn space
 * (identity for a drawn space; NB201's six edges drive every Cell of a skeleton).
 */
export interface WeightSharingSpace extends SearchSpace {
  readonly drawn: DrawnSpace;
  /** The drawn space's sample for a sample of this space. */
  toDrawn(s: Sample): Sample;
  /** The decision of this space that drives a decision of the drawn space. */
  sourceOf(drawnDecision: string): string;
}

/** A search space drawn as a graph. */
export class DrawnSpace implements WeightSharingSpace {
  readonly name: string;
  readonly decisions: readonly Decision[];
  /** Undefined for a concrete graph (no decisions); CategoricalSpace needs at least one. */
  private readonly cat: CategoricalSpace | undefined;

  constructor(readonly model: SpaceModel) {
    this.name = model.doc.name ?? 'drawn';
    this.cat = model.decisions.length > 0 ? new CategoricalSpace(this.name, model.decisions) : undefined;
    this.decisions = this.cat?.decisions ?? [];
  }

  size(): number {
    return this.cat?.size() ?? 1;
  }

  sample(rng: Rng): Sample {
    return this.cat?.sample(rng) ?? {};
  }

  mutate(s: Sample, rng: Rng): { sample: Sample; changed: string } {
    if (!this.cat) throw new Error(`space ${this.name}: a concrete graph has no decision to mutate`);
    return this.cat.mutate(s, rng);
  }

  key(s: Sample): string {
    if (this.cat) return this.cat.key(s);
    this.check(s);
    return '';
  }

  fromKey(key: string): Sample {
    if (this.cat) return this.cat.fromKey(key);
    if (key !== '') throw new Error(`space ${this.name}: a concrete graph's only key is '', got '${key}'`);
    return {};
  }

  /** The concrete document for `s`; engine's validateDocument may still reject it (see shapeCheck). */
  materialize(s: Sample): LoomDocument {
    return this.materializeDetailed(s).doc;
  }

  /** {@link materialize} plus each node's drawn origin. */
  materializeDetailed(s: Sample): Materialized {
    this.check(s);
    return materializeModel(this.model, s);
  }

  /** The NAS-Bench-201 cell string of Cell `cellId` in `s`. */
  cellString(s: Sample, cellId: string): string {
    if (!this.model.cells.has(cellId)) throw new Error(`space ${this.name}: no Cell node "${cellId}"`);
    return cellString(s, cellId);
  }

  /** A readable option: Choice indices show their alternative's first kind, e.g. `1 (MaxPool2D)`. */
  optionLabel(decision: string, value: DecisionValue): string {
    const choice = this.model.choices.get(decision);
    const first = choice?.alternatives[Number(value)]?.[0];
    const kind = first === undefined ? undefined : this.model.doc.nodes.find((n) => n.id === first)?.kind;
    return kind ? `${String(value)} (${kind})` : String(value);
  }

  /** Itself: a drawn space drives its own supernet directly. */
  get drawn(): DrawnSpace {
    return this;
  }

  toDrawn(s: Sample): Sample {
    return s;
  }

  sourceOf(drawnDecision: string): string {
    return drawnDecision;
  }

  /** Smallest and largest valid candidate by params and FLOPs (see drawn-check.ts). */
  extremes(seed = 0): Extremes {
    return spaceExtremes(this, seed);
  }

  /** Shape-checks the candidates (see drawn-check.ts for coverage and blame). */
  shapeCheck(seed = 0): ShapeCheck {
    return shapeCheckSpace(this, seed);
  }

  /** Throws unless `s` is a point of this space. */
  private check(s: Sample): void {
    if (this.cat) this.cat.toIndices(s);
    else if (Object.keys(s).length > 0) throw new Error(`space ${this.name}: unknown decision '${Object.keys(s)[0]}'`);
  }
}

/** A drawn space from a parsed document. Throws GraphError on a malformed space. */
export function drawnSpaceFromDocument(doc: LoomDocument): DrawnSpace {
  return new DrawnSpace(parseSpace(doc));
}

/** A drawn space from `.loom.json` text. Throws GraphError naming the node or field at fault. */
export function drawnSpace(text: string): DrawnSpace {
  return drawnSpaceFromDocument(parseDocument(parseJson(text)));
}
