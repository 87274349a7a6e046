/**
 * Space-generic pieces the sample-efficient strategies share: the one-decision neighbourhood
 * of a sample (local search, the predictor's candidate pool), uniform draws that avoid
 * already-queried candidates (a repeated table lookup would waste budget), and the one-hot
 * encoding a predictor reads. Only `decisions`, `key` and `sample` of the space are used, so
 * every space (nb201, drawn spaces, the toy space) is served the same way.
 */
import type { Rng } from '../../engine/util/rng.js';
import type { Sample, SearchSpace } from '../space/types.js';

/**
 * Every sample that differs from `s` in exactly one decision, in decision order then option
 * order (White et al. 2021's neighbourhood for NAS-Bench-201: 6 edges x 4 other ops = 24).
 * Samples the space rejects (its `key` throws) are left out.
 */
export function neighbours(space: SearchSpace, s: Sample): Sample[] {
  const out: Sample[] = [];
  for (const d of space.decisions) {
    for (const o of d.options) {
      if (o === s[d.name]) continue;
      const n = { ...s, [d.name]: o };
      try {
        space.key(n);
      } catch {
        continue;
      }
      out.push(n);
    }
  }
  return out;
}

/** Above this many candidates a space is never enumerated to find an unseen one. */
const ENUMERATE_LIMIT = 200_000;

/**
 * A uniform draw among candidates whose key is not in `seen`, or null when every candidate
 * has been seen. Rejection sampling first (cheap while most of the space is unseen), then an
 * enumeration of the unseen rest for small spaces; on a huge space that keeps rejecting, a
 * seen candidate is returned rather than looping forever.
 */
export function drawUnseen(space: SearchSpace, rng: Rng, seen: ReadonlySet<string>): Sample | null {
  if (seen.size >= space.size()) return null;
  for (let t = 0; t < 64; t++) {
    const s = space.sample(rng);
    if (!seen.has(space.key(s))) return s;
  }
  if (space.size() > ENUMERATE_LIMIT) return space.sample(rng);
  const unseen = allSamples(space).filter((s) => !seen.has(space.key(s)));
  return unseen.length === 0 ? null : unseen[rng.int(unseen.length)];
}

/** Every candidate of a (small) categorical space, in mixed-radix order of its decisions. */
function allSamples(space: SearchSpace): Sample[] {
  let out: Sample[] = [{}];
  for (const d of space.decisions) out = out.flatMap((s) => d.options.map((o) => ({ ...s, [d.name]: o })));
  return out;
}

/**
 * The categorical encoding of a sample: its option index per decision (decision order). A
 * Hamming-type kernel over these is a kernel over the one-hot "adjacency" encoding of White
 * et al., "A Study on Encodings for Neural Architecture Search", NeurIPS 2020, which does as
 * well as the path encoding for model-based search on NAS-Bench-201.
 */
export function optionIndices(space: SearchSpace, s: Sample): number[] {
  return space.decisions.map((d) => {
    const i = d.options.indexOf(s[d.name]);
    if (i < 0) throw new Error(`space ${space.name}: '${String(s[d.name])}' is not an option of '${d.name}'`);
    return i;
  });
}
