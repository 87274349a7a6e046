/**
 * The readback model of the WebGPU trainer: inputs v0…vN, outputs r0…rN = Identity(vi), one
 * per carried value. Opened in a WebGPU session with CPU outputs, it is how GPU-resident
 * weights and optimizer state come back to the host (the Node binding cannot download a
 * gpu-buffer tensor).
 */
import { OnnxBuilder } from '../../onnx/builder.js';

/** ONNX bytes of the Identity model over `carried` (float32 tensors of the given shapes). */
export function readbackModel(carried: readonly { shape: number[] }[]): Uint8Array {
  const b = new OnnxBuilder(17);
  carried.forEach((c, i) => {
    const v = b.addInput(`v${i}`, c.shape);
    b.node('Identity', [v.name], {}, [`r${i}`]);
    b.addRawOutput(`r${i}`, c.shape);
  });
  return b.toBytes({ opset: 17, producerVersion: 'readback', metadata: {}, graphName: 'layerloom-readback' });
}
