/**
 * The compiled training step on onnxruntime-node's WebGPU execution provider.
 *
 * The same step model as the CPU trainer (step-model.ts) runs in a WebGPU session whose
 * carried outputs (weights, BatchNorm state, optimizer state) stay on the GPU
 * (`preferredOutputLocation: 'gpu-buffer'`) and are fed straight back as the next step's
 * inputs; only the loss and the predictions (for the running metrics) come back each step.
 * The Node binding cannot download a gpu-buffer tensor, so host copies are refreshed by a
 * second WebGPU session, an Identity of every carried value with CPU outputs, run only when
 * someone needs them: validation, checkpoints, the end of training, a stop. Everything that
 * reads host values (evaluation, weights, optimizer state, write-back) is delegated to a CPU
 * OrtStepper over the same step model, so names, layouts and checkpoints are the CPU
 * trainer's. One GPU session runs at a time (microsoft/onnxruntime#32561: concurrent
 * sessions on Linux/Vulkan can crash): runs are awaited in order.
 */
import type * as ortNs from 'onnxruntime-node';
import type { Dataset } from '../../data/types.js';
import type { EvaluationResult } from '../evaluate.js';
import type { SavedTensor } from '../saved-tensor.js';
import type { StepBatch, StepResult, Stepper } from '../stepper.js';
import { readbackModel } from './webgpu-readback.js';
import { OrtStepper, type OrtStepperOptions } from './ort-stepper.js';
import { placementReport, probeWebGpu, type PlacementReport } from './webgpu-probe.js';

/** Options of WebGpuStepper.create. */
export interface WebGpuStepperOptions extends OrtStepperOptions {
  /** Skip the placement report (a child process that opens the model once more). */
  skipPlacement?: boolean;
}

/** A Stepper whose steps run on WebGPU. */
export class WebGpuStepper implements Stepper {
  readonly paramCount: number;
  readonly outputShape: readonly (number | null)[];
  /** Carried values on the GPU by graph input name; null until the first step uploads them. */
  private device: Map<string, ortNs.Tensor> | null = null;
  /** Steps taken on the GPU (the host copy's count lags until {@link sync}). */
  private iterations: number;
  private hostStale = false;

  private constructor(
    private readonly ort: typeof ortNs,
    private readonly host: OrtStepper,
    private readonly stepSession: ortNs.InferenceSession,
    private readonly readSession: ortNs.InferenceSession,
    /** Where the step's nodes run (null when not measured). */
    readonly placement: PlacementReport | null,
  ) {
    this.paramCount = host.paramCount;
    this.outputShape = host.outputShape;
    this.iterations = host.stepCount;
  }

  /**
   * Compiles the step, opens it on WebGPU and reports the nodes that fall back to the CPU.
   * Throws a one-line error naming what is missing (platform, Vulkan loader, adapter).
   */
  static async create(opts: WebGpuStepperOptions): Promise<WebGpuStepper> {
    const avail = probeWebGpu();
    if (!avail.ok) throw new Error(avail.reason);
    // Dawn's Vulkan backend complains (and some drivers fail) without a runtime directory.
    process.env.XDG_RUNTIME_DIR ||= (await import('node:os')).tmpdir();
    const ort = await import('onnxruntime-node');
    const host = await OrtStepper.create({ ...opts, threads: opts.threads ?? 1, provider: 'webgpu' });
    try {
      const carried = host.carried();
      const preferredOutputLocation: Record<string, 'gpu-buffer' | 'cpu'> = {};
      for (const c of carried) preferredOutputLocation[c.output] = 'gpu-buffer';
      preferredOutputLocation[host.spec.outputs.loss] = 'cpu';
      preferredOutputLocation[host.spec.outputs.prediction] = 'cpu';
      const so = { executionProviders: ['webgpu'], graphOptimizationLevel: 'all' as const };
      const stepSession = await ort.InferenceSession.create(host.spec.train, { ...so, preferredOutputLocation });
      const readSession = await ort.InferenceSession.create(readbackModel(carried), so);
      const placement = opts.skipPlacement ? null : placementReport(host.spec.train);
      return new WebGpuStepper(ort, host, stepSession, readSession, placement);
    } catch (e) {
      host.dispose();
      throw e;
    }
  }

  /** One line for the `backend` event: node counts and the ops that fell back to the CPU. */
  describePlacement(): string {
    const p = this.placement;
    if (!p) return 'placement not measured';
    const fallback = p.fallbacks.length ? `; CPU fallback for ${p.fallbacks.join(', ')}` : '; no tensor op falls back to the CPU';
    return `${p.gpu} nodes on the GPU, ${p.cpu.length} on the CPU (shape arithmetic: ${p.shapeOps.join(', ') || 'none'})${fallback}`;
  }

  private upload(): Map<string, ortNs.Tensor> {
    const m = new Map<string, ortNs.Tensor>();
    for (const { input, shape } of this.host.carried()) {
      m.set(input, new this.ort.Tensor('float32', this.host.carriedValue(input).slice(), shape));
    }
    return m;
  }

  async step(batch: StepBatch, lr: number, seed: number): Promise<StepResult> {
    const s = this.host.spec;
    this.device ??= this.upload();
    const feeds = this.host.stepFeeds(batch, lr, seed, this.iterations);
    for (const [name, t] of this.device) feeds[name] = t;
    const out = await this.stepSession.run(feeds);
    const next = new Map<string, ortNs.Tensor>();
    for (const { input, output } of this.host.carried()) next.set(input, out[output]);
    for (const t of this.device.values()) if (t.location === 'gpu-buffer') t.dispose();
    this.device = next;
    this.iterations++;
    this.hostStale = true;
    return { loss: (out[s.outputs.loss].data as Float32Array)[0], preds: out[s.outputs.prediction].data as Float32Array };
  }

  /** Brings the GPU's carried values back into the host copies (one readback run). */
  async sync(): Promise<void> {
    if (!this.hostStale || !this.device) return;
    const feeds: Record<string, ortNs.Tensor> = {};
    const names = this.host.carried().map((c, i) => ({ input: c.input, feed: `v${i}`, out: `r${i}` }));
    for (const n of names) feeds[n.feed] = this.device.get(n.input)!;
    const out = await this.readSession.run(feeds);
    const values = new Map<string, Float32Array>();
    for (const n of names) values.set(n.input, out[n.out].data as Float32Array);
    this.host.adoptCarried(values, this.iterations);
    this.hostStale = false;
  }

  /** Host values changed (weights or state loaded): the GPU copies are re-uploaded on the next step. */
  private invalidateDevice(): void {
    if (this.device) for (const t of this.device.values()) if (t.location === 'gpu-buffer') t.dispose();
    this.device = null;
    this.hostStale = false;
  }

  async evaluate(ds: Dataset, batchSize: number): Promise<EvaluationResult> {
    await this.sync();
    return this.host.evaluate(ds, batchSize);
  }

  async getWeights(): Promise<SavedTensor[]> {
    await this.sync();
    return this.host.getWeights();
  }

  setWeights(weights: SavedTensor[]): void {
    if (this.hostStale) throw new Error('setWeights on the WebGPU trainer before the GPU values were read back');
    this.host.setWeights(weights);
    this.invalidateDevice();
  }

  async getOptimizerState(): Promise<SavedTensor[]> {
    await this.sync();
    return this.host.getOptimizerState();
  }

  async setOptimizerState(state: SavedTensor[]): Promise<void> {
    await this.sync();
    await this.host.setOptimizerState(state);
    this.iterations = this.host.stepCount;
    this.invalidateDevice();
  }

  /** Copies the trained weights into the tf.js model; call {@link sync} first. */
  writeBack(tf: typeof import('@tensorflow/tfjs')): void {
    if (this.hostStale) throw new Error('writeBack on the WebGPU trainer before sync()');
    this.host.writeBack(tf);
  }

  dispose(): void {
    this.invalidateDevice();
    void this.stepSession.release();
    void this.readSession.release();
    this.host.dispose();
  }
}
