/** Dense CPU transposes for weights baked into ONNX initializers (a leaf: no builder import). */

/** Transposes a dense row-major array of `shape` by `perm` (like numpy.transpose). */
export function transposeData(data: Float32Array, shape: number[], perm: number[]): { data: Float32Array; shape: number[] } {
  const rank = shape.length;
  const outShape = perm.map((p) => shape[p]);
  const inStrides = new Array<number>(rank);
  let s = 1;
  for (let i = rank - 1; i >= 0; i--) {
    inStrides[i] = s;
    s *= shape[i];
  }
  const out = new Float32Array(data.length);
  const idx = new Array<number>(rank).fill(0);
  const permStrides = perm.map((p) => inStrides[p]);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let d = 0; d < rank; d++) src += idx[d] * permStrides[d];
    out[o] = data[src];
    for (let d = rank - 1; d >= 0; d--) {
      if (++idx[d] < outShape[d]) break;
      idx[d] = 0;
    }
  }
  return { data: out, shape: outShape };
}
