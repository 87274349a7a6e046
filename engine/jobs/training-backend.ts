/**
 * Picks the engine that trains a graph and says why. On CPU the default is onnxruntime (the
 * compiled ONNX training step) when every node supports it; a GPU tf.js backend
 * (tfjs-node-gpu) comes first; otherwise the tf.js chain (tfjs-node, wasm, cpu). Forcing
 * `onnxruntime` fails with the node that cannot train there.
 */
import type { CompiledModel } from '../compile/compile.js';
import type { Dataset } from '../data/types.js';
import type { Graph } from '../graph/validate.js';
import { initBackend } from '../backend/select.js';
import type { Tf } from '../layers/types.js';
import type { TrainingConfig } from '../train/config.js';
import { trainModel, trainWithStepper, type TrainOptions, type TrainResult } from '../train/loop.js';
import { OrtStepper } from '../train/onnx-step/ort-stepper.js';
import { probeWebGpu, softwareVulkanOnly } from '../train/onnx-step/webgpu-probe.js';
import { WebGpuStepper } from '../train/onnx-step/webgpu-stepper.js';
import { assertTfjsCanTrain, tfjsTrainingGaps } from './tfjs-gaps.js';

/** What the user may ask for. */
export type BackendChoice = 'auto' | 'onnxruntime' | 'webgpu' | 'tensorflow' | 'wasm' | 'cpu';

/** The chosen engine. `ort` is set when training runs in onnxruntime. */
export interface TrainingBackend {
  tf: Tf;
  /** The graph compiled with that tf.js backend (initial weights, names, export). */
  compiled: CompiledModel;
  /** 'onnxruntime', 'webgpu' or the tf.js backend name. */
  name: string;
  reason: string;
  /** The compiled-step trainer, on the CPU provider or on WebGPU. */
  ort?: OrtStepper | WebGpuStepper;
}

/**
 * Why `auto` should not try WebGPU here, or null when it should: no adapter, or only a
 * software Vulkan driver (slower than the CPU trainer).
 */
function webgpuSkipReason(): string | null {
  if (process.platform === 'linux' && softwareVulkanOnly()) return 'only a software Vulkan driver';
  const avail = probeWebGpu();
  if (!avail.ok) return avail.reason;
  return avail.software ? 'only a software Vulkan driver' : null;
}

/** Inputs the choice needs: the compiled model decides whether the ONNX step can be built. */
export interface BackendContext {
  graph: Graph;
  compile: (tf: Tf) => CompiledModel;
  config: TrainingConfig;
  train: Dataset;
  /** onnxruntime intra-op threads (default: `config.threads`, else the machine's cores). */
  threads?: number;
}

/** Nodes above which `auto` prefers tf.js: onnxruntime's session creation for the step then takes minutes. */
export const ORT_AUTO_MAX_NODES = 500;

/** Chooses and initialises the training engine. */
export async function chooseTrainingBackend(choice: BackendChoice, ctx: BackendContext): Promise<TrainingBackend> {
  if (choice === 'wasm' || choice === 'cpu' || choice === 'tensorflow') {
    const b = await initBackend(choice);
    assertTfjsCanTrain(ctx.graph, b.reason);
    return { tf: b.tf, compiled: ctx.compile(b.tf), name: b.name, reason: b.reason };
  }
  // tf.js is needed either way (it builds the model the ONNX step starts from).
  const tfb = await initBackend('auto');
  const compiled = ctx.compile(tfb.tf);
  if (choice === 'auto' && tfb.name === 'tensorflow' && /gpu/i.test(tfb.reason) && !tfjsTrainingGaps(ctx.graph).length) {
    return { tf: tfb.tf, compiled, name: tfb.name, reason: `${tfb.reason}: a GPU is available` };
  }
  // onnxruntime's session setup grows superlinearly with the step graph's node count (a
  // 600-node chain ~25-35 s, 1,000 nodes minutes here): for deep graphs auto picks tf.js.
  if (choice === 'auto' && ctx.graph.order.length > ORT_AUTO_MAX_NODES && !tfjsTrainingGaps(ctx.graph).length) {
    return {
      tf: tfb.tf,
      compiled,
      name: tfb.name,
      reason: `${tfb.reason} (onnxruntime not used: the graph has ${ctx.graph.order.length} nodes, above the ${ORT_AUTO_MAX_NODES} beyond which its session setup takes minutes; --backend onnxruntime forces it)`,
    };
  }
  let gpuNote = '';
  if (choice === 'webgpu' || choice === 'auto') {
    const skip = choice === 'auto' ? webgpuSkipReason() : null;
    if (skip === null) {
      try {
        const gpu = await WebGpuStepper.create({ graph: ctx.graph, model: compiled.model, output: compiled.outputs[0], config: ctx.config, train: ctx.train });
        return {
          tf: tfb.tf,
          compiled,
          name: 'webgpu',
          reason: `webgpu (compiled ONNX training step on the WebGPU provider): ${gpu.describePlacement()}`,
          ort: gpu,
        };
      } catch (e) {
        const why = (e as Error).message.split('\n')[0];
        if (choice === 'webgpu') {
          compiled.model.dispose();
          throw new Error(`--backend webgpu: ${why}`);
        }
        gpuNote = `; webgpu not used: ${why}`;
      }
    } else gpuNote = `; webgpu not used: ${skip}`;
  }
  try {
    const ort = await OrtStepper.create({
      graph: ctx.graph,
      model: compiled.model,
      output: compiled.outputs[0],
      config: ctx.config,
      train: ctx.train,
      threads: ctx.threads,
    });
    const threads = `${ort.threads} thread${ort.threads === 1 ? '' : 's'}`;
    return {
      tf: tfb.tf,
      compiled,
      name: 'onnxruntime',
      reason: `onnxruntime (compiled ONNX training step, CPU, ${threads}): every node supports it${gpuNote}`,
      ort,
    };
  } catch (e) {
    const why = (e as Error).message.split('\n')[0];
    if (choice === 'onnxruntime') {
      compiled.model.dispose();
      throw new Error(`--backend onnxruntime: ${why}`);
    }
    const reason = `${tfb.reason} (onnxruntime not used: ${why})`;
    try {
      assertTfjsCanTrain(ctx.graph, reason);
    } catch (gap) {
      compiled.model.dispose();
      throw gap;
    }
    return { tf: tfb.tf, compiled, name: tfb.name, reason };
  }
}

/**
 * Trains on the chosen engine. Afterwards the tf.js model holds the trained weights whichever
 * engine ran (export, statistics and the UI read them there).
 */
export async function trainOnBackend(backend: TrainingBackend, opts: Omit<TrainOptions, 'tf' | 'model'>): Promise<TrainResult> {
  const result = backend.ort
    ? await trainWithStepper({ ...opts, stepper: backend.ort })
    : await trainModel({ ...opts, tf: backend.tf, model: backend.compiled.model });
  if (backend.ort instanceof WebGpuStepper) await backend.ort.sync();
  backend.ort?.writeBack(backend.tf);
  return result;
}

/** Frees the onnxruntime sessions (if any) and the compiled tf.js model. */
export function disposeTrainingBackend(backend: TrainingBackend): void {
  backend.ort?.dispose();
  backend.compiled.model.dispose();
}
