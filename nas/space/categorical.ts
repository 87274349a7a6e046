/**
 * Shared machinery for spaces made of independent categorical decisions (every space we ship
 * so far): validation, uniform sampling, one-decision mutation and index conversion. Concrete
 * spaces add only their name and key format, so sampling and mutation behave identically
 * everywhere (the NASLib arrangement: the space owns its neighbourhood, strategies do not).
 */
import type { Rng } from '../../engine/util/rng.js';
import type { Decision, Sample, SearchSpace } from './types.js';

/**
 * A space whose candidates are one option per decision, all combinations allowed.
 * Subclasses choose `key`/`fromKey`; the defaults write `name=value` pairs in decision order.
 */
export class CategoricalSpace implements SearchSpace {
  readonly decisions: readonly Decision[];

  constructor(
    readonly name: string,
    decisions: readonly Decision[],
  ) {
    if (decisions.length === 0) throw new Error(`space ${name}: no decisions`);
    const seen = new Set<string>();
    for (const d of decisions) {
      if (seen.has(d.name)) throw new Error(`space ${name}: duplicate decision '${d.name}'`);
      seen.add(d.name);
      if (d.options.length === 0) throw new Error(`space ${name}: decision '${d.name}' has no options`);
      if (new Set(d.options).size !== d.options.length) {
        throw new Error(`space ${name}: decision '${d.name}' repeats an option`);
      }
    }
    // Frozen copies: strategies hold references to these, and a caller mutating its own
    // array afterwards must not change the space under a running search.
    this.decisions = Object.freeze(decisions.map((d) => Object.freeze({ name: d.name, options: Object.freeze([...d.options]) })));
  }

  size(): number {
    return this.decisions.reduce((n, d) => n * d.options.length, 1);
  }

  sample(rng: Rng): Sample {
    const s: Sample = {};
    for (const d of this.decisions) s[d.name] = d.options[rng.int(d.options.length)];
    return s;
  }

  /**
   * Picks one decision that has an alternative, uniformly, and moves it to a uniformly chosen
   * *different* option, as in Real et al. (AAAI 2019) and NAS-Bench-201's R-EA: a mutation
   * that returns the parent unchanged would waste an evaluation.
   */
  mutate(s: Sample, rng: Rng): { sample: Sample; changed: string } {
    const idx = this.toIndices(s);
    const mutable = this.decisions.map((d, i) => i).filter((i) => this.decisions[i].options.length > 1);
    if (mutable.length === 0) throw new Error(`space ${this.name}: no decision has two options`);
    const di = mutable[rng.int(mutable.length)];
    const n = this.decisions[di].options.length;
    // Draw among the n-1 other options by skipping over the current one.
    let o = rng.int(n - 1);
    if (o >= idx[di]) o++;
    idx[di] = o;
    return { sample: this.fromIndices(idx), changed: this.decisions[di].name };
  }

  key(s: Sample): string {
    const idx = this.toIndices(s);
    return this.decisions.map((d, i) => `${d.name}=${String(d.options[idx[i]])}`).join(',');
  }

  fromKey(key: string): Sample {
    const parts = key.split(',');
    if (parts.length !== this.decisions.length) {
      throw new Error(`space ${this.name}: key has ${parts.length} parts, expected ${this.decisions.length}: '${key}'`);
    }
    const idx = parts.map((p, i) => {
      const d = this.decisions[i];
      const prefix = `${d.name}=`;
      if (!p.startsWith(prefix)) throw new Error(`space ${this.name}: key part ${i} '${p}' should start with '${prefix}'`);
      const text = p.slice(prefix.length);
      const o = d.options.findIndex((v) => String(v) === text);
      if (o < 0) throw new Error(`space ${this.name}: key part ${i}: '${text}' is not an option of '${d.name}'`);
      return o;
    });
    return this.fromIndices(idx);
  }

  /** Option index per decision (decision order); throws if `s` is not a point of this space. */
  toIndices(s: Sample): number[] {
    const names = Object.keys(s);
    if (names.length !== this.decisions.length) {
      const extra = names.filter((n) => !this.decisions.some((d) => d.name === n));
      if (extra.length > 0) throw new Error(`space ${this.name}: unknown decision '${extra[0]}'`);
    }
    return this.decisions.map((d) => {
      if (!Object.hasOwn(s, d.name)) throw new Error(`space ${this.name}: sample lacks decision '${d.name}'`);
      const o = d.options.indexOf(s[d.name]);
      if (o < 0) throw new Error(`space ${this.name}: '${String(s[d.name])}' is not an option of '${d.name}'`);
      return o;
    });
  }

  /** The sample with the given option index per decision (decision order). */
  fromIndices(idx: readonly number[]): Sample {
    if (idx.length !== this.decisions.length) {
      throw new Error(`space ${this.name}: ${idx.length} indices for ${this.decisions.length} decisions`);
    }
    const s: Sample = {};
    this.decisions.forEach((d, i) => {
      const o = idx[i];
      if (!Number.isInteger(o) || o < 0 || o >= d.options.length) {
        throw new Error(`space ${this.name}: option index ${o} out of range for '${d.name}'`);
      }
      s[d.name] = d.options[o];
    });
    return s;
  }
}
