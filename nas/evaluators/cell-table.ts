/**
 * Tabular evaluation of a drawn space whose only decisions are the edges of one Cell node:
 * each candidate is looked up in a NAS-Bench-201-format table by its cell string, so a
 * designer can draw the NB201 cell in its own network and search it against the benchmark
 * in seconds. The network around the cell is the user's; the table's numbers are for the
 * benchmark's own skeleton on its own data, which is what tabular search means.
 */
import type { DrawnSpace } from '../space/drawn.js';
import { TabularEvaluator, type TabularOptions } from './tabular.js';
import type { Evaluation, Evaluator } from './types.js';

/** The Cell whose edges are all of `space`'s decisions, or an error saying why not. */
export function onlyCell(space: DrawnSpace): string {
  const cells = [...space.model.cells.keys()];
  if (cells.length !== 1)
    throw new Error(`a tabular search of a drawn space needs exactly one Cell node (its cell string is the table key); this space has ${cells.length}`);
  const other = space.decisions.find((d) => !d.name.startsWith(`${cells[0]}.`));
  if (other) throw new Error(`a tabular search of a drawn space can only decide the Cell "${cells[0]}"; decision "${other.name}" is not in the table`);
  return cells[0];
}

/** Looks a drawn candidate up by the cell string of its Cell. */
export class CellTableEvaluator implements Evaluator {
  readonly spec: string;
  readonly signal: string;
  readonly report: string;
  private readonly table: TabularEvaluator;
  private readonly cell: string;

  constructor(
    private readonly space: DrawnSpace,
    file: string,
    options: TabularOptions = {},
  ) {
    this.cell = onlyCell(space);
    this.table = new TabularEvaluator(file, options);
    this.spec = this.table.spec;
    this.signal = this.table.signal;
    this.report = this.table.report;
  }

  evaluate(key: string): Evaluation {
    return this.table.evaluate(this.space.cellString(this.space.fromKey(key), this.cell));
  }

  /** Multi-fidelity: the table's low-fidelity field (see {@link TabularEvaluator.evaluateAt}). */
  evaluateAt(key: string, fidelity: number): Evaluation {
    return this.table.evaluateAt(this.space.cellString(this.space.fromKey(key), this.cell), fidelity);
  }

  get fidelities(): readonly number[] {
    return this.table.fidelities;
  }
}
