/**
 * Reverse-mode differentiation over the builder's forward IR: the backward pass is appended
 * to the same graph, one `GradRule` per forward node on a path from a trainable value to a
 * seeded one. Gradients of values used several times are summed. Backward nodes whose
 * results no requested gradient needs (e.g. the gradient of a constant operand) are pruned
 * afterwards, so rules may emit every input's gradient without asking which are wanted.
 */
import type { OnnxBuilder } from '../../onnx/builder.js';
import type { IrGradRegion, IrNode } from '../../onnx/values.js';
import { gradRules } from './grads/index.js';
import { attrInt, type Shape } from './shapes.js';
import type { GradContext, GradRegistry, StepProvider } from './types.js';

/** Options of emitBackward. */
export interface BackwardOptions {
  /** A scalar loss value, seeded with d(loss)/d(loss) = 1 unless it already has a seed. */
  loss?: string;
  /** Value name -> name of its gradient (e.g. d/dlogits from a fused softmax cross-entropy). */
  seeds: Map<string, string>;
  /** Values to differentiate with respect to (trainable graph inputs). */
  wrt: string[];
  /** Static shapes of forward values (inferIrShapes). */
  shapes: Map<string, Shape>;
  /** The provider the step targets (default 'cpu'). */
  provider?: StepProvider;
  /** Rule registry; defaults to all rules. */
  rules?: GradRegistry;
}

/** Ops whose outputs carry no gradient (comparisons, shapes, indices, integer results). */
const NON_DIFFERENTIABLE = new Set([
  'Shape',
  'Size',
  'ArgMax',
  'ArgMin',
  'Equal',
  'Greater',
  'Less',
  'GreaterOrEqual',
  'LessOrEqual',
  'Not',
  'And',
  'Or',
  'Xor',
  'IsNaN',
  'IsInf',
  'Floor',
  'Ceil',
  'Round',
  'Sign',
  'OneHot',
  'NonZero',
  'ConstantOfShape',
  'Constant',
  'Range',
  'RandomUniform',
  'RandomNormal',
  'RandomUniformLike',
  'RandomNormalLike',
  'Bernoulli',
]);
/** ONNX float element types a Cast may produce on a gradient path (float, float16, double, bfloat16). */
const FLOAT_TYPES = new Set([1, 10, 11, 16]);

function differentiable(n: IrNode): boolean {
  if (NON_DIFFERENTIABLE.has(n.op)) return false;
  if (n.op === 'Cast') return FLOAT_TYPES.has(attrInt(n, 'to', 1));
  return true;
}

/**
 * Appends the backward pass of `b`'s forward nodes to `b` and returns, for each `wrt` name
 * that reaches a seed, the name of its gradient. Throws, naming the op type and the node's
 * first output, when a node on a gradient path has no rule.
 */
export function emitBackward(b: OnnxBuilder, opts: BackwardOptions): Map<string, string> {
  const rules = opts.rules ?? gradRules;
  const firstBackward = b.irNodes.length;
  const constantsBefore = new Set(b.constants.keys());

  const seeds = new Map(opts.seeds);
  if (opts.loss && !seeds.has(opts.loss)) seeds.set(opts.loss, b.floats('d_loss', [1], []));
  const forward = withRegions(b.irNodes.slice(), b.gradRegions, rules, new Set(seeds.keys()));

  // Values depending on a wrt value (through differentiable ops) ...
  const fromWrt = new Set(opts.wrt);
  for (const n of forward) {
    if (differentiable(n) && n.inputs.some((i) => fromWrt.has(i))) for (const o of n.outputs) fromWrt.add(o);
  }
  // ... and values a seed depends on.
  const toSeed = new Set(seeds.keys());
  for (let i = forward.length - 1; i >= 0; i--) {
    const n = forward[i];
    if (n.outputs.some((o) => toSeed.has(o))) for (const x of n.inputs) if (x) toSeed.add(x);
  }
  const active = forward.filter((n) => differentiable(n) && n.inputs.some((i) => fromWrt.has(i)) && n.outputs.some((o) => toSeed.has(o)));
  for (const n of active) {
    if (!rules[n.op] || (n.domain !== '' && n.domain !== 'ai.onnx')) {
      throw new Error(`no gradient rule for ONNX op ${n.op}${n.domain ? ` (domain ${n.domain})` : ''} (node producing "${n.outputs[0]}")`);
    }
  }

  const parts = new Map<string, string[]>();
  for (const [v, gname] of seeds) parts.set(v, [gname]);
  const gradOf = (v: string): string | undefined => {
    const p = parts.get(v);
    if (!p?.length) return undefined;
    if (p.length > 1) {
      // onnxruntime's WebGPU provider has no variadic Sum (it would run on the CPU, with two
      // copies per step): there the parts are added pairwise.
      const [sum] = opts.provider === 'webgpu' ? [p.slice(1).reduce((acc, x) => b.node('Add', [acc, x])[0], p[0])] : b.node('Sum', p);
      parts.set(v, [sum]);
      return sum;
    }
    return p[0];
  };

  const ctx: GradContext = {
    b,
    shape: (name) => {
      const s = opts.shapes.get(name) ?? b.constants.get(name)?.dims;
      if (!s) throw new Error(`no static shape known for "${name}" (needed by a gradient rule)`);
      return s;
    },
    constant: (name) => b.constants.get(name),
    provider: opts.provider ?? 'cpu',
  };

  for (let i = active.length - 1; i >= 0; i--) {
    const n = active[i];
    const dOut = n.outputs.map((o) => (toSeed.has(o) && fromWrt.has(o) ? gradOf(o) : undefined));
    if (dOut.every((d) => d === undefined)) continue;
    let dIn: (string | undefined)[];
    try {
      dIn = rules[n.op](ctx, n, dOut);
    } catch (e) {
      throw new Error(`gradient of ${n.op} (node producing "${n.outputs[0]}"): ${(e as Error).message}`);
    }
    n.inputs.forEach((x, j) => {
      const d = dIn[j];
      if (!d || !x || !fromWrt.has(x)) return;
      const list = parts.get(x) ?? [];
      list.push(d);
      parts.set(x, list);
    });
  }

  const result = new Map<string, string>();
  for (const w of opts.wrt) {
    const d = gradOf(w);
    if (d) result.set(w, d);
  }
  prune(b, firstBackward, constantsBefore, new Set(result.values()));
  return result;
}

/** Names every node of `nodes` reads from which a value in `targets` can be computed. */
function ancestorsOf(nodes: IrNode[], targets: Set<string>): Set<string> {
  const out = new Set(targets);
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i];
    if (n.outputs.some((o) => out.has(o))) for (const x of n.inputs) if (x) out.add(x);
  }
  return out;
}

/**
 * The forward node list with each applicable gradient region's members replaced by its
 * virtual node (at the position of its last member). A region is skipped, so its members
 * keep their own rules, when it has no rule here, a member is gone, or one of its inner
 * values also reaches a seed through a node outside the region (the fused rule would miss
 * that path's gradient).
 */
function withRegions(nodes: IrNode[], regions: IrGradRegion[], rules: GradRegistry, seeds: Set<string>): IrNode[] {
  if (!regions.length) return nodes;
  const toSeed = ancestorsOf(nodes, seeds);
  const present = new Set(nodes);
  let out = nodes;
  for (const r of regions) {
    if (!rules[r.node.op] || !r.members.every((m) => present.has(m))) continue;
    const members = new Set(r.members);
    const inner = new Set(r.members.flatMap((m) => m.outputs).filter((o) => !r.node.outputs.includes(o)));
    const leaks = out.some((n) => !members.has(n) && n.inputs.some((i) => inner.has(i)) && n.outputs.some((o) => toSeed.has(o)));
    if (leaks) continue;
    const last = r.members[r.members.length - 1];
    out = out.flatMap((n) => (n === last ? [r.node] : members.has(n) ? [] : [n]));
  }
  return out;
}

/** Drops backward nodes (and their new constants) that no returned gradient depends on. */
function prune(b: OnnxBuilder, first: number, constantsBefore: Set<string>, roots: Set<string>): void {
  const needed = new Set(roots);
  const keep = new Array<boolean>(b.irNodes.length).fill(true);
  for (let i = b.irNodes.length - 1; i >= first; i--) {
    const n = b.irNodes[i];
    keep[i] = n.outputs.some((o) => needed.has(o));
    if (keep[i]) for (const x of n.inputs) needed.add(x);
  }
  const kept = b.irNodes.filter((_, i) => keep[i]);
  b.irNodes.length = 0;
  b.irNodes.push(...kept);
  const used = new Set(b.irNodes.flatMap((n) => n.inputs));
  for (const name of [...b.constants.keys()]) if (!constantsBefore.has(name) && !used.has(name)) b.constants.delete(name);
}
