/**
 * Gradients of Conv and ConvTranspose (1-D and 2-D, strides, pads, dilations, groups).
 *
 * Conv input gradient: ConvTranspose of dY with the same weight, stride, dilation, pads and
 * group; `output_padding` restores input rows the forward windows never reached.
 * Ungrouped 'same'-padded Convs use conv-taps.ts instead: the filter gradient as one Gemm
 * per kernel tap, and stride-1 input gradients as a forward Conv with the flipped weight
 * (faster in onnxruntime's CPU kernels on ResNet-style nets, slower on valid convs).
 * Other Conv filter gradients: a Conv with the batch as channels: X as [C, N, H, W]
 * convolved with dY as a [M, N, oh, ow] kernel, the forward stride becoming the dilation and
 * vice versa. Groups fold into the channel axis so one grouped Conv serves depthwise layers.
 * ConvTranspose reverses the roles: its input gradient is a Conv, its filter gradient the
 * same batch-as-channels Conv with dY as the image.
 */
import { attr, type IrNode } from '../../../onnx/values.js';
import { attrInt, attrInts, attrStr, windowGeometry, type Shape } from '../shapes.js';
import type { GradContext, GradRegistry } from '../types.js';
import { filterGradByTaps, inputGradByFlippedConv } from './conv-taps.js';
import { isStatic, op, reduceSum, reshape, transpose } from './util.js';

interface Geometry {
  kernel: number[];
  strides: number[];
  dilations: number[];
  pads: number[];
  group: number;
}

function geometry(g: GradContext, n: IrNode, inSpatial: Shape): Geometry {
  const w = g.shape(n.inputs[1]);
  const kernel = attrInts(n, 'kernel_shape') ?? (w.slice(2) as number[]);
  const { strides, dilations, pads } = windowGeometry(n, inSpatial, kernel);
  if (!pads) throw new Error(`${n.op} "${n.outputs[0]}": auto_pad needs known spatial sizes to differentiate`);
  return { kernel, strides, dilations, pads, group: attrInt(n, 'group', 1) };
}

function spatialOf(g: GradContext, n: IrNode, name: string): number[] {
  const s = g.shape(name).slice(2);
  if (!isStatic(s)) throw new Error(`${n.op} "${n.outputs[0]}": gradients need known spatial sizes (got ${JSON.stringify(g.shape(name))})`);
  return s;
}

/** Swaps axes 0 and 1 of a rank-r value. */
function swap01(g: GradContext, x: string, rank: number): string {
  return transpose(g, x, [1, 0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2)]);
}

/** Bias gradient: dY summed over every axis but the channels. */
function biasGrad(g: GradContext, dy: string, rank: number): string {
  return reduceSum(g, dy, [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2)], false);
}

/**
 * The filter gradient as a Conv of `image` ([B, Cin·?, ...]) with `kernel`, stride and
 * dilation swapped, cropped to the kernel size (the last rows of a padded image may fit an
 * extra tap the forward pass never used).
 */
function filterConv(g: GradContext, image: string, kernel: string, geo: Geometry, group: number, imageSpatial: number[], kernelSpatial: number[]): string {
  const k = geo.kernel.length;
  const full = imageSpatial.map(
    (d, i) => Math.floor((d + geo.pads[i] + geo.pads[i + k] - ((kernelSpatial[i] - 1) * geo.strides[i] + 1)) / geo.dilations[i]) + 1,
  );
  let out = op(g, 'Conv', [image, kernel], {
    strides: attr.ints(geo.dilations),
    dilations: attr.ints(geo.strides),
    pads: attr.ints(geo.pads),
    group: attr.i(group),
  });
  if (full.some((d, i) => d !== geo.kernel[i])) {
    const axes = geo.kernel.map((_, i) => i + 2);
    out = op(g, 'Slice', [
      out,
      g.b.int64s(
        'g_starts',
        geo.kernel.map(() => 0),
      ),
      g.b.int64s('g_ends', geo.kernel),
      g.b.int64s('g_axes', axes),
    ]);
  }
  return out;
}

/** dX of a Conv as ConvTranspose of dY with the same weight and geometry. */
function convTransposeGrad(g: GradContext, dy: string, w: string, geo: Geometry, outputPadding: number[]): string {
  return op(g, 'ConvTranspose', [dy, w], {
    kernel_shape: attr.ints(geo.kernel),
    strides: attr.ints(geo.strides),
    dilations: attr.ints(geo.dilations),
    pads: attr.ints(geo.pads),
    group: attr.i(geo.group),
    ...(outputPadding.some((p) => p !== 0) ? { output_padding: attr.ints(outputPadding) } : {}),
  });
}

/** Conv and ConvTranspose gradient rules. */
export const convRules: GradRegistry = {
  Conv: (g, n, [dy]) => {
    const [x, w, bias] = n.inputs;
    const xs = g.shape(x);
    const rank = xs.length;
    const xSp = spatialOf(g, n, x);
    const ySp = spatialOf(g, n, n.outputs[0]);
    const geo = geometry(g, n, xSp);
    const k = geo.kernel.length;
    const eff = geo.kernel.map((kk, i) => (kk - 1) * geo.dilations[i] + 1);
    const outputPadding = xSp.map((d, i) => d - (geo.strides[i] * (ySp[i] - 1) + eff[i] - geo.pads[i] - geo.pads[i + k]));
    const c = xs[1] as number;
    // 'Same'-padded ungrouped convs (ResNet/NB201 style) take the formulations of conv-taps.ts,
    // measured faster there; valid convs (LeNet style) measured faster with the ones below.
    if (geo.group === 1 && xSp.every((d, i) => Math.ceil(d / geo.strides[i]) === ySp[i])) {
      const m = g.shape(n.outputs[0])[1] as number;
      const dx = inputGradByFlippedConv(g, dy!, w, geo) ?? convTransposeGrad(g, dy!, w, geo, outputPadding);
      return [dx, filterGradByTaps(g, x, dy!, geo, c, m, ySp), bias ? biasGrad(g, dy!, rank) : undefined];
    }
    const dx = convTransposeGrad(g, dy!, w, geo, outputPadding);
    // Filter gradient: the batch becomes the (grouped) channel axis; for groups,
    // [N, g·Cg, ...] -> [Cg, g·N, ...], so group j's channel block holds its N samples.
    const cg = c / geo.group;
    let image: string;
    if (geo.group === 1) image = swap01(g, x, rank);
    else {
      const split = reshape(g, x, [-1, geo.group, cg, ...xSp]);
      const moved = transpose(g, split, [2, 1, 0, ...xSp.map((_, i) => i + 3)]);
      image = reshape(g, moved, [cg, -1, ...xSp]);
    }
    const dw = swap01(g, filterConv(g, image, swap01(g, dy!, rank), geo, geo.group, xSp, ySp), rank);
    return [dx, dw, bias ? biasGrad(g, dy!, rank) : undefined];
  },
  ConvTranspose: (g, n, [dy]) => {
    const [x, w, bias] = n.inputs;
    const rank = g.shape(x).length;
    if (attrInt(n, 'group', 1) !== 1) throw new Error(`ConvTranspose "${n.outputs[0]}": grouped ConvTranspose gradients are not supported`);
    if (attrStr(n, 'auto_pad', 'NOTSET') !== 'NOTSET' || attrInts(n, 'output_shape')) {
      throw new Error(`ConvTranspose "${n.outputs[0]}": gradients need explicit pads (no auto_pad / output_shape)`);
    }
    const xSp = spatialOf(g, n, x);
    const ySp = spatialOf(g, n, n.outputs[0]);
    const geo = geometry(g, n, xSp);
    const dx = op(g, 'Conv', [dy!, w], {
      kernel_shape: attr.ints(geo.kernel),
      strides: attr.ints(geo.strides),
      dilations: attr.ints(geo.dilations),
      pads: attr.ints(geo.pads),
    });
    // dW[c, m] = Σ X[n, c] ⋆ dY[n, m]: dY is the image, X the kernel, pads as the forward crop.
    const dw = swap01(g, filterConv(g, swap01(g, dy!, rank), swap01(g, x, rank), geo, 1, ySp, xSp), rank);
    return [dx, dw, bias ? biasGrad(g, dy!, rank) : undefined];
  },
};
