/**
 * The NAS-Bench-201 cell space (Dong & Yang, "NAS-Bench-201: Extending the Scope of
 * Reproducible Neural Architecture Search", ICLR 2020; the "topology search space" of
 * NATS-Bench, Dong et al., TPAMI 2021).
 *
 * A cell is a DAG on 4 nodes; each of the 6 edges i->j (i < j) carries one of 5 ops, so the
 * space has 5^6 = 15,625 cells. Keys are the benchmark's own cell strings, so a sample's key
 * indexes the published tables directly. The space knows the format only: which cells are
 * good is for the table (or a real training run) to say.
 */
import { CategoricalSpace } from './categorical.js';
import type { Sample } from './types.js';

/** The 5 candidate ops of every edge, in the benchmark's order. */
export const NB201_OPS = ['none', 'skip_connect', 'nor_conv_1x1', 'nor_conv_3x3', 'avg_pool_3x3'] as const;

/** One NAS-Bench-201 op name. */
export type Nb201Op = (typeof NB201_OPS)[number];

/** Number of nodes in a cell: node 0 is the cell input, node 3 the output. */
const NODES = 4;

/**
 * Edge names "i->j" in cell-string order: grouped by target node j = 1..3, inputs i = 0..j-1
 * within a group. This is the `edges` list of the shared table's README:
 * 0->1, 0->2, 1->2, 0->3, 1->3, 2->3.
 */
export const NB201_EDGES: readonly string[] = Object.freeze(
  Array.from({ length: NODES - 1 }, (_, g) => Array.from({ length: g + 1 }, (_, i) => `${i}->${g + 1}`)).flat(),
);

/**
 * The NAS-Bench-201 space: one decision per edge (named "i->j"), options {@link NB201_OPS}.
 * `key` writes the official string `|op~0|+|op~0|op~1|+|op~0|op~1|op~2|`, where group j lists
 * the inputs of node j+1 and `op~i` is the op applied to node i.
 */
export class Nb201Space extends CategoricalSpace {
  constructor() {
    super(
      'nb201',
      NB201_EDGES.map((name) => ({ name, options: NB201_OPS })),
    );
  }

  override key(s: Sample): string {
    this.toIndices(s); // validates: unknown ops or missing edges throw here, not in a lookup
    let out = '';
    for (let j = 1; j < NODES; j++) {
      if (j > 1) out += '+';
      out += '|';
      for (let i = 0; i < j; i++) out += `${String(s[`${i}->${j}`])}~${i}|`;
    }
    return out;
  }

  /**
   * Parses an official cell string. Strict: no whitespace, exactly 3 groups of 1, 2, 3 entries,
   * inputs in increasing order. Errors name the group, position, edge and character offset.
   */
  override fromKey(key: string): Sample {
    const fail = (msg: string): never => {
      throw new Error(`nb201 cell string '${key}': ${msg}`);
    };
    if (typeof key !== 'string' || key.length === 0) fail('empty');
    const groups = key.split('+');
    if (groups.length !== NODES - 1) {
      fail(`expected ${NODES - 1} groups separated by '+', got ${groups.length}`);
    }
    const s: Sample = {};
    let offset = 0;
    groups.forEach((group, g) => {
      const node = g + 1;
      const where = `group ${g} (inputs of node ${node}) at char ${offset}`;
      if (!group.startsWith('|') || !group.endsWith('|') || group.length < 2) {
        fail(`${where}: must start and end with '|', got '${group}'`);
      }
      const entries = group.slice(1, -1).split('|');
      if (entries.length !== node) {
        fail(`${where}: expected ${node} entries 'op~i', got ${entries.length}`);
      }
      let pos = offset + 1;
      entries.forEach((entry, i) => {
        const edge = `${i}->${node}`;
        const at = `group ${g}, position ${i} (edge ${edge}) at char ${pos}`;
        const tilde = entry.lastIndexOf('~');
        if (tilde < 0) fail(`${at}: expected 'op~${i}', got '${entry}'`);
        const op = entry.slice(0, tilde);
        const input = entry.slice(tilde + 1);
        if (input !== String(i)) fail(`${at}: expected input node ${i} ('~${i}'), got '~${input}'`);
        if (!(NB201_OPS as readonly string[]).includes(op)) {
          fail(`${at}: unknown op '${op}' (expected one of ${NB201_OPS.join(', ')})`);
        }
        s[edge] = op;
        pos += entry.length + 1;
      });
      offset += group.length + 1;
    });
    return s;
  }
}

/** The built-in `nb201` space (stateless, so one shared instance serves everyone). */
export const nb201: Nb201Space = new Nb201Space();
