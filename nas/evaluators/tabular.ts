/**
 * Tabular evaluator (`tabular:PATH`): "trains" a candidate by looking it up in a
 * NAS-Bench-201-format table (see shared/data/nasbench201/README.md), so a whole search takes
 * milliseconds and its cost is charged in the benchmark's simulated seconds instead.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Evaluation, Evaluator } from './types.js';

/** How a query is charged: `trainEpochs * train_time + evalPasses * eval_time` seconds. */
export interface TabularCost {
  trainEpochs: number;
  evalPasses: number;
}

/** Options of {@link TabularEvaluator}. */
export interface TabularOptions {
  /** Field the strategy maximises (default `valid`). */
  signal?: string;
  /** Field reported for the chosen architecture (default `test`). */
  report?: string;
  /**
   * Simulated cost per query. The default, 12 epochs of training plus one validation pass,
   * approximates the NAS-Bench-201 protocol's charge (its 12-epoch schedule + evaluation).
   */
  cost?: Partial<TabularCost>;
  /**
   * Whether queries must be charged (a time budget): then a table without the timing fields
   * the cost reads is refused, saying so. Otherwise (default) such a table charges nothing.
   */
  requireCost?: boolean;
  /**
   * The low-fidelity field and its share of the full training budget, for multi-fidelity
   * search; default `test12` at 12/200 when the table has it (NAS-Bench-201's 12-epoch
   * schedule against its 200-epoch one), none otherwise. `null` turns it off.
   */
  lowFidelity?: { field: string; fraction: number } | null;
}

/** NAS-Bench-201's low-fidelity field: test accuracy after 12 of the 200 epochs. */
export const NB201_LOW_FIDELITY = { field: 'test12', fraction: 12 / 200 } as const;

/** The default simulated cost: `12 * train_time + eval_time`. */
export const DEFAULT_TABULAR_COST: TabularCost = { trainEpochs: 12, evalPasses: 1 };

/** A parsed, structurally checked table (shared by every evaluator on the same file). */
interface Table {
  file: string;
  /** Arch key -> its numeric fields (frozen: handed out to callers without copying). */
  entries: Map<string, Readonly<Record<string, number>>>;
  /** Numeric fields of the first entry, for error messages. */
  fields: string[];
  optimum: Record<string, number> | null;
}

// Parsing the 3.7 MB file takes ~40 ms; a benchmark builds hundreds of evaluators on it.
const cache = new Map<string, { mtimeMs: number; size: number; table: Table }>();

function fail(file: string, what: string): never {
  throw new Error(`${file}: ${what}`);
}

function show(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

function loadTable(file: string): Table {
  const abs = path.resolve(file);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(abs);
  } catch (e) {
    fail(file, `cannot read the table (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const hit = cache.get(abs);
  if (hit && hit.mtimeMs === stat.mtimeMs && hit.size === stat.size) return hit.table;

  let doc: unknown;
  try {
    doc = JSON.parse(fs.readFileSync(abs, 'utf8'));
  } catch (e) {
    fail(file, `not valid JSON (${(e as Error).message})`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) fail(file, 'expected a JSON object with an "archs" field');
  const archs = (doc as Record<string, unknown>).archs;
  if (typeof archs !== 'object' || archs === null || Array.isArray(archs)) {
    fail(file, `field "archs" must be an object mapping arch strings to entries, got ${show(archs)}`);
  }
  const entries = new Map<string, Readonly<Record<string, number>>>();
  for (const [key, entry] of Object.entries(archs as Record<string, unknown>)) {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) fail(file, `archs[${show(key)}] must be an object, got ${show(entry)}`);
    const numeric: Record<string, number> = {};
    for (const [k, v] of Object.entries(entry as Record<string, unknown>)) if (typeof v === 'number') numeric[k] = v;
    entries.set(key, Object.freeze(numeric));
  }
  if (entries.size === 0) fail(file, 'field "archs" has no entries');
  const opt = (doc as Record<string, unknown>).optimum;
  const table: Table = {
    file,
    entries,
    fields: Object.keys(entries.values().next().value!),
    optimum: typeof opt === 'object' && opt !== null ? (opt as Record<string, number>) : null,
  };
  cache.set(abs, { mtimeMs: stat.mtimeMs, size: stat.size, table });
  return table;
}

/** Looks candidates up in a NAS-Bench-201-format table. */
export class TabularEvaluator implements Evaluator {
  readonly spec: string;
  /** Field the strategy maximises. */
  readonly signal: string;
  /** Field reported for the chosen architecture. */
  readonly report: string;
  /** Simulated cost coefficients in use. */
  readonly cost: TabularCost;
  /** Whether queries are charged simulated seconds (the table has the timing fields). */
  readonly charged: boolean;
  /** The low-fidelity field in use, if any. */
  readonly lowFidelity: { field: string; fraction: number } | null;
  private readonly table: Table;

  /**
   * Loads (or reuses) the table at `file` and checks that every entry has finite numbers for
   * the fields this evaluator reads; errors name the file, the entry and the field.
   */
  constructor(file: string, options: TabularOptions = {}) {
    this.spec = `tabular:${file}`;
    this.signal = options.signal ?? 'valid';
    this.report = options.report ?? 'test';
    this.cost = { ...DEFAULT_TABULAR_COST, ...options.cost };
    for (const [name, v] of Object.entries(this.cost)) {
      if (!Number.isFinite(v) || v < 0) throw new Error(`cost.${name} must be a number ≥ 0, got ${show(v)}`);
    }
    this.table = loadTable(file);
    const required = [this.signal, this.report];
    // The fields searched and reported first: without them no budget helps.
    for (const f of new Set(required)) {
      if (!this.table.fields.includes(f)) fail(file, `the entries have no numeric field "${f}" (fields: ${this.table.fields.join(', ')})`);
    }
    const timing = [...(this.cost.trainEpochs > 0 ? ['train_time'] : []), ...(this.cost.evalPasses > 0 ? ['eval_time'] : [])];
    const missing = timing.filter((f) => !this.table.fields.includes(f));
    if (missing.length > 0 && options.requireCost) {
      fail(
        file,
        `a time budget (--budget-seconds) charges each query ${this.cost.trainEpochs} × train_time + ${this.cost.evalPasses} × eval_time, but the entries have no numeric field "${missing[0]}" (fields: ${this.table.fields.join(', ')}); use a trial budget (--budget-trials) with this table`,
      );
    }
    // A table without timing fields still serves trial budgets: its queries cost nothing.
    this.charged = missing.length === 0;
    if (this.charged) required.push(...timing);
    const low = options.lowFidelity === undefined ? (this.table.fields.includes(NB201_LOW_FIDELITY.field) ? NB201_LOW_FIDELITY : null) : options.lowFidelity;
    if (low) {
      if (!(low.fraction > 0 && low.fraction < 1)) throw new Error(`lowFidelity.fraction must be in (0, 1), got ${show(low.fraction)}`);
      required.push(low.field);
    }
    this.lowFidelity = low;
    for (const f of new Set(required)) {
      if (!this.table.fields.includes(f)) fail(file, `the entries have no numeric field "${f}" (fields: ${this.table.fields.join(', ')})`);
    }
    for (const [key, m] of this.table.entries) {
      for (const f of required) {
        if (!Number.isFinite(m[f])) fail(file, `archs[${show(key)}].${f} must be a finite number`);
      }
    }
  }

  /** Fidelities `evaluateAt` serves: the low-fidelity share (when there is one) and 1. */
  get fidelities(): readonly number[] {
    return this.lowFidelity ? [this.lowFidelity.fraction, 1] : [1];
  }

  /** Number of architectures in the table. */
  get size(): number {
    return this.table.entries.size;
  }

  /** The table's `optimum` block (best achievable values), when present. */
  get optimum(): Record<string, number> | null {
    return this.table.optimum;
  }

  /** True when the table has an entry for `key`. */
  has(key: string): boolean {
    return this.table.entries.has(key);
  }

  /** Looks `key` up; throws naming the key and the file when it is not in the table. */
  evaluate(key: string): Evaluation {
    const m = this.entry(key);
    return {
      signal: m[this.signal],
      report: m[this.report],
      metrics: m,
      params: m.params,
      flops: m.flops,
      costSeconds: this.charge(m, 1),
    };
  }

  /**
   * Evaluates at a share of the full budget: 1 is `evaluate`; below 1, the low-fidelity field
   * is the signal, charged as that share of the training epochs plus the full evaluation
   * passes. The metrics then hold only what such a query would know (the low-fidelity value
   * under the signal's name, `fidelity`, params, FLOPs), never the full-budget fields.
   */
  evaluateAt(key: string, fidelity: number): Evaluation {
    if (!(fidelity > 0 && fidelity <= 1)) throw new Error(`${this.spec}: fidelity must be in (0, 1], got ${show(fidelity)}`);
    if (fidelity === 1) return this.evaluate(key);
    const low = this.lowFidelity;
    if (!low)
      fail(
        this.table.file,
        `fidelity ${fidelity} needs a low-fidelity field (such as "test12"), and the table has none in use (fields: ${this.table.fields.join(', ')})`,
      );
    const m = this.entry(key);
    const metrics: Record<string, number> = { [this.signal]: m[low.field], fidelity: low.fraction };
    if (m.params !== undefined) metrics.params = m.params;
    if (m.flops !== undefined) metrics.flops = m.flops;
    return { signal: m[low.field], report: NaN, metrics, params: m.params, flops: m.flops, costSeconds: this.charge(m, low.fraction) };
  }

  private entry(key: string): Readonly<Record<string, number>> {
    const m = this.table.entries.get(key);
    if (!m) fail(this.table.file, `no architecture ${show(key)} in the table`);
    return m;
  }

  private charge(m: Readonly<Record<string, number>>, share: number): number {
    if (!this.charged) return 0;
    return share * this.cost.trainEpochs * (m.train_time ?? 0) + this.cost.evalPasses * (m.eval_time ?? 0);
  }
}
