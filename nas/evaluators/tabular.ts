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
}

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
    if (this.cost.trainEpochs > 0) required.push('train_time');
    if (this.cost.evalPasses > 0) required.push('eval_time');
    for (const f of new Set(required)) {
      if (!this.table.fields.includes(f)) fail(file, `the entries have no numeric field "${f}" (fields: ${this.table.fields.join(', ')})`);
    }
    for (const [key, m] of this.table.entries) {
      for (const f of required) {
        if (!Number.isFinite(m[f])) fail(file, `archs[${show(key)}].${f} must be a finite number`);
      }
    }
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
    const m = this.table.entries.get(key);
    if (!m) fail(this.table.file, `no architecture ${show(key)} in the table`);
    return {
      signal: m[this.signal],
      report: m[this.report],
      metrics: m,
      params: m.params,
      flops: m.flops,
      costSeconds: this.cost.trainEpochs * (m.train_time ?? 0) + this.cost.evalPasses * (m.eval_time ?? 0),
    };
  }
}
