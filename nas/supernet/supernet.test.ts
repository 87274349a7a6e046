// The supernet of drawn spaces: every construct (width choices, kernel-size variants, Choice
// of different widths, Concatenate with an optional input, Repeat, Cell, depthwise and
// separable convs, LayerNorm) runs along sampled paths, and each path's extracted sub-network
// computes exactly what the supernet computed; the relaxation (DARTS) runs and passes
// gradients to the architecture weights.
import fs from 'node:fs';
import path from 'node:path';
import type * as tfNs from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../engine/backend/select.js';
import type { Tf } from '../../engine/layers/types.js';
import { Rng } from '../../engine/util/rng.js';
import { spaceText, type N } from '../space/drawn-fixtures.js';
import { drawnSpace, type DrawnSpace } from '../space/drawn.js';
import { extractSubnet } from './extract.js';
import { buildSupernet, type Supernet } from './supernet.js';

const root = path.join(import.meta.dirname, '../..');
let tf: Tf;
beforeAll(async () => {
  tf = (await initBackend('wasm')).tf;
});

const conv = (id: string, params: Record<string, unknown> = {}, extra: Partial<N> = {}): N => ({
  id,
  kind: 'Conv2D',
  params: { filters: 4, padding: 'same', ...params },
  ...extra,
});

/** Drawn spaces, each exercising constructs the supernet must share weights across. */
const SPACES: Record<string, () => string> = {
  'example space-digits (Repeat, optional skip, kernel and width choices)': () =>
    fs.readFileSync(path.join(root, 'examples/spaces/space-digits.loom.json'), 'utf8'),
  'Choice of different widths into a width-sliced conv, Dense width': () =>
    spaceText(
      [
        { id: 'in', kind: 'Input', params: { shape: [8, 8, 1] } },
        conv('stem', { filters: { choice: [4, 8] }, activation: 'relu' }),
        { id: 'pick', kind: 'Choice' },
        conv('a0', { filters: 6, kernelSize: 3 }, { group: 'pick', alternative: 0 }),
        { id: 'a1', kind: 'MaxPool2D', params: { poolSize: 3, strides: 1, padding: 'same' }, group: 'pick', alternative: 1 },
        conv('a2', { filters: { choice: [2, 5] }, kernelSize: 1, activation: 'tanh' }, { group: 'pick', alternative: 2 }),
        { id: 'a2bn', kind: 'BatchNorm', group: 'pick', alternative: 2 },
        conv('mix', { filters: { choice: [3, 6] }, kernelSize: { choice: [1, 3] } }),
        { id: 'bn', kind: 'BatchNorm' },
        { id: 'gap', kind: 'GlobalAvgPool' },
        { id: 'dense', kind: 'Dense', params: { units: { choice: [7, 10] }, activation: 'relu' } },
        { id: 'logits', kind: 'Dense', params: { units: 3, activation: 'softmax' } },
        { id: 'out', kind: 'Output' },
      ],
      [
        ['in', 'stem'],
        ['stem', 'pick'],
        ['a2', 'a2bn'],
        ['pick', 'mix'],
        ['mix', 'bn'],
        ['bn', 'gap'],
        ['gap', 'dense'],
        ['dense', 'logits'],
        ['logits', 'out'],
      ],
    ),
  'Concatenate with an optional input, Flatten into a sliced Dense': () =>
    spaceText(
      [
        { id: 'in', kind: 'Input', params: { shape: [6, 6, 2] } },
        conv('c1', { filters: { choice: [2, 4] } }),
        conv('c2', { filters: 3, kernelSize: 1 }),
        { id: 'cat', kind: 'Concatenate' },
        { id: 'flat', kind: 'Flatten' },
        { id: 'hidden', kind: 'Dense', params: { units: { choice: [5, 9] }, activation: 'relu' } },
        { id: 'drop', kind: 'Dropout', params: { rate: 0.3 } },
        { id: 'dense', kind: 'Dense', params: { units: 3, activation: 'softmax' } },
        { id: 'out', kind: 'Output' },
      ],
      [
        ['in', 'c1'],
        ['in', 'c2'],
        ['c1', 'cat', { optional: true }],
        ['c2', 'cat'],
        ['cat', 'flat'],
        ['flat', 'hidden'],
        ['hidden', 'drop'],
        ['drop', 'dense'],
        ['dense', 'out'],
      ],
    ),
  'NB201 Cell inside a Repeat after a width choice; depthwise, separable, LayerNorm': () =>
    spaceText(
      [
        { id: 'in', kind: 'Input', params: { shape: [8, 8, 1] } },
        conv('stem', { filters: { choice: [4, 6] } }),
        { id: 'rep', kind: 'Repeat', params: { min: 1, max: 2 } },
        { id: 'cell', kind: 'Cell', group: 'rep' },
        { id: 'dw', kind: 'DepthwiseConv2D', params: { depthMultiplier: 2, padding: 'same' } },
        { id: 'sep', kind: 'SeparableConv2D', params: { filters: { choice: [3, 5] }, padding: 'same', activation: 'relu' } },
        { id: 'ln', kind: 'LayerNorm' },
        { id: 'flat', kind: 'Flatten' },
        { id: 'dense', kind: 'Dense', params: { units: 3, activation: 'softmax' } },
        { id: 'out', kind: 'Output' },
      ],
      [
        ['in', 'stem'],
        ['stem', 'rep'],
        ['rep', 'dw'],
        ['dw', 'sep'],
        ['sep', 'ln'],
        ['ln', 'flat'],
        ['flat', 'dense'],
        ['dense', 'out'],
      ],
    ),
};

function space(name: string): DrawnSpace {
  return drawnSpace(SPACES[name]());
}

/** Up to `n` distinct valid samples, drawn with a seeded Rng. */
function validSamples(net: Supernet, n: number, seed: number) {
  const rng = new Rng(seed);
  const out = new Map<string, ReturnType<DrawnSpace['sample']>>();
  for (let tries = 0; out.size < n && tries < 50 * n; tries++) {
    const s = net.space.sample(rng);
    if (net.isValid(s)) out.set(net.space.key(s), s);
  }
  return [...out.values()];
}

describe('supernet of drawn spaces', () => {
  for (const name of Object.keys(SPACES)) {
    it(`${name}: extracted sub-networks compute what the supernet computes on their path`, async () => {
      const sp = space(name);
      const net = buildSupernet(tf, sp, { seed: 3 });
      try {
        const inShape = net.structure.byId.get(net.structure.inputId)!.params.shape as number[];
        const x = tf.randomNormal([4, ...inShape], 0, 1, 'float32', 7);
        const samples = validSamples(net, 6, 11);
        expect(samples.length).toBeGreaterThan(1);
        for (const s of samples) {
          // Train one step along the path first, so BatchNorm statistics are not the initial ones.
          tf.tidy(() => {
            net.forward(x, net.path(s), { training: true });
          });
          const want = tf.tidy(() => net.forward(x, net.path(s)));
          const sub = await extractSubnet(net, s);
          const got = sub.model.predict(x) as tfNs.Tensor;
          const diff = tf.max(tf.abs(tf.sub(got, want))).dataSync()[0];
          expect(diff, `${sp.key(s)}`).toBeLessThan(1e-5);
          expect(sub.weights.length).toBe(sub.model.weights.length);
          tf.dispose([got, want]);
          sub.model.dispose();
        }
        x.dispose();
      } finally {
        net.dispose();
      }
    });
  }

  it('a one-hot relaxation computes exactly its path, and the relaxation passes gradients to every decision', () => {
    for (const name of Object.keys(SPACES)) {
      const sp = space(name);
      const net = buildSupernet(tf, sp, { seed: 5 });
      const inShape = net.structure.byId.get(net.structure.inputId)!.params.shape as number[];
      const x = tf.randomNormal([3, ...inShape], 0, 1, 'float32', 2);
      // LayerNorm mixes channels, so relaxed widths upstream of it are not exact: keep those fixed.
      const relaxable = sp.decisions.filter((d) => !(name.includes('LayerNorm') && d.name.endsWith('.filters')));
      // Cells whose nodes go empty differ by design (a zero node still feeds BatchNorm), so no "none".
      const samples = validSamples(net, 4, 21).filter((s) => !Object.values(s).includes('none'));
      expect(samples.length, name).toBeGreaterThan(0);
      for (const s of samples) {
        const diff = tf.tidy(() => {
          const probs = Object.fromEntries(relaxable.map((d) => [d.name, tf.oneHot(d.options.indexOf(s[d.name]), d.options.length).toFloat()]));
          const want = net.forward(x, net.path(s));
          const got = net.forward(x, net.relaxed(probs, s));
          return tf.max(tf.abs(tf.sub(got, want))).dataSync()[0];
        });
        expect(diff, `${name}: ${sp.key(s)}`).toBeLessThan(1e-5);
      }
      // Gradients reach the architecture logits of every relaxed decision.
      const alphas = relaxable.map((d) => tf.variable(tf.randomNormal([d.options.length], 0, 0.1, 'float32', 9), true));
      const y = tf.tensor1d([0, 1, 2], 'int32');
      const { grads } = tf.variableGrads(() => {
        const probs = Object.fromEntries(relaxable.map((d, i) => [d.name, tf.softmax(alphas[i])]));
        return net.loss(x, y, net.relaxed(probs, samples[0]), { training: true });
      }, alphas);
      for (const a of alphas) {
        const g = grads[a.name];
        expect(g, `${name}: no gradient for ${a.name}`).toBeDefined();
        expect(tf.sum(tf.abs(g)).dataSync()[0], name).toBeGreaterThan(0);
      }
      tf.dispose([...Object.values(grads), ...alphas, x, y]);
      net.dispose();
    }
  });

  it('operation-level dropout (the collapse remedy) acts on parameter-free cell ops only', () => {
    const sp = drawnSpace(
      spaceText(
        [
          { id: 'in', kind: 'Input', params: { shape: [6, 6, 1] } },
          conv('stem', { filters: 4 }),
          { id: 'cell', kind: 'Cell' },
          { id: 'gap', kind: 'GlobalAvgPool' },
          { id: 'dense', kind: 'Dense', params: { units: 3, activation: 'softmax' } },
          { id: 'out', kind: 'Output' },
        ],
        [
          ['in', 'stem'],
          ['stem', 'cell'],
          ['cell', 'gap'],
          ['gap', 'dense'],
          ['dense', 'out'],
        ],
      ),
    );
    const net = buildSupernet(tf, sp, { seed: 1 });
    const x = tf.randomNormal([4, 6, 6, 1], 0, 1, 'float32', 3);
    const cell = (ops: string[]) => Object.fromEntries(['0->1', '0->2', '1->2', '0->3', '1->3', '2->3'].map((e, i) => [`cell.${e}`, ops[i]]));
    const gap = (s: Record<string, string>) =>
      tf.tidy(() => tf.max(tf.abs(tf.sub(net.forward(x, net.path(s), { paramFreeDropout: 0.5 }), net.forward(x, net.path(s))))).dataSync()[0]);
    expect(gap(cell(Array(6).fill('nor_conv_3x3')))).toBe(0);
    expect(gap(cell(['skip_connect', 'avg_pool_3x3', 'nor_conv_1x1', 'skip_connect', 'nor_conv_3x3', 'avg_pool_3x3']))).toBeGreaterThan(1e-3);
    x.dispose();
    net.dispose();
  });
});
