/**
 * Export a trained graph: to ONNX (optionally verified against tf.js in onnxruntime-node) or
 * to the tf.js format. Weights come from a run's checkpoint (`--run`) or from a folder
 * holding a checkpoint or a tf.js model (`--weights`). Nothing is written when export or
 * verification fails, and files appear atomically.
 */
import fs from 'node:fs';
import path from 'node:path';
import { initBackend } from '../backend/select.js';
import { compileGraph } from '../compile/compile.js';
import { loadDataset } from '../data/registry.js';
import { splitValidation } from '../data/split.js';
import { graphHash } from '../graph/hash.js';
import { inferShapes } from '../graph/infer.js';
import { loadGraphFromText } from '../graph/load.js';
import type { Graph } from '../graph/validate.js';
import { getLayer } from '../layers/index.js';
import { exportOnnx, type ExportMetadata } from '../onnx/export.js';
import { exportTfjs, loadTfjsFolder } from '../onnx/tfjs-format.js';
import { randomInputs, verifyOnnx, type InputBatch, type VerifyResult } from '../onnx/verify.js';
import { openDb } from '../store/db.js';
import { RunStore } from '../store/runs.js';
import { loadCheckpoint, type Checkpoint } from '../train/checkpoint.js';
import { restoreModelWeights } from '../train/saved-tensor.js';
import { writeFileAtomic } from '../util/atomic.js';
import { fitDataset } from './fit-data.js';
import { layerloomVersion } from './version.js';

/** Inputs of an export. */
export interface ExportJobOptions {
  /** The `.loom.json` text. */
  text: string;
  run?: string;
  weights?: string;
  out: string;
  format: 'onnx' | 'tfjs';
  opset?: number;
  verify?: boolean;
  dataDir: string;
}

/** What an export did. */
export interface ExportJobResult {
  out: string;
  format: 'onnx' | 'tfjs';
  bytes: number;
  runId?: string;
  verify?: VerifyResult & { tolerance: number; passed: boolean; inputs: 'dataset' | 'random' };
}

/** Max abs difference accepted by --verify: 1e-4, or the largest `exportTolerance` of the graph's kinds (1e-3 for recurrent layers). */
export function verifyTolerance(graph: Graph): number {
  return Math.max(1e-4, ...[...graph.nodes.values()].map((n) => getLayer(n.kind)?.exportTolerance ?? 0));
}

async function checkpointFrom(dir: string): Promise<Checkpoint> {
  const kind = fs.existsSync(path.join(dir, 'best.ckpt')) ? 'best' : 'last';
  return loadCheckpoint(dir, kind);
}

/** A batch of up to 64 validation samples from a dataset spec, fitted to the graph. */
async function datasetBatch(graph: Graph, spec: string, seed: number): Promise<Map<string, InputBatch>> {
  const ds = await loadDataset(spec, { seed });
  const val = ds.test ?? splitValidation(ds, 0.2, seed).val;
  const fitted = fitDataset(graph, inferShapes(graph), { ...val, test: undefined }, { targetIsInput: false });
  const n = Math.min(64, fitted.count);
  const per = fitted.inputShape.reduce((a, b) => a * b, 1);
  const inputId = graph.order.find((id) => graph.nodes.get(id)!.kind === 'Input')!;
  return new Map([[inputId, { data: fitted.x.slice(0, n * per), shape: [n, ...fitted.inputShape] }]]);
}

/** Runs one export. Throws with a message naming what was wrong. */
export async function runExportJob(opts: ExportJobOptions): Promise<ExportJobResult> {
  if (!opts.run === !opts.weights) throw new Error('give exactly one of --run RUN_ID or --weights DIR');
  const graph = loadGraphFromText(opts.text);
  const { tf } = await initBackend('auto');
  let ckpt: Checkpoint | undefined;
  let meta: ExportMetadata = { layerloomVersion: layerloomVersion() };
  let dataSpec = graph.doc.training?.dataset;
  if (opts.run) {
    const db = openDb(opts.dataDir);
    const rec = new RunStore(db).get(opts.run);
    db.close();
    if (!rec) throw new Error(`run "${opts.run}" not found in ${opts.dataDir}`);
    if (rec.graphHash !== graphHash(graph.doc)) {
      throw new Error(
        `the graph differs from the one run "${rec.id}" trained (content hash ${rec.graphHash.slice(0, 12)}… vs ${graphHash(graph.doc).slice(0, 12)}…); its weights would not fit`,
      );
    }
    ckpt = await checkpointFrom(rec.checkpointDir);
    dataSpec = rec.dataset;
    meta = { ...meta, runId: rec.id, dataset: rec.dataset };
  }
  const { model } = compileGraph(tf, graph, { seed: 0 });
  try {
    if (opts.weights) {
      if (fs.existsSync(path.join(opts.weights, 'model.json'))) {
        const loaded = await loadTfjsFolder(tf, opts.weights);
        for (const layer of model.layers) {
          const src = loaded.layers.find((l) => l.name === layer.name);
          if (layer.weights.length && !src) throw new Error(`${opts.weights}/model.json has no layer "${layer.name}" (node ids must match)`);
          if (src && layer.weights.length) layer.setWeights(src.getWeights());
        }
        loaded.dispose();
      } else {
        ckpt = await checkpointFrom(opts.weights);
      }
    }
    if (ckpt) {
      restoreModelWeights(tf, model, ckpt.modelWeights, `checkpoint of ${opts.run ?? opts.weights}`);
      const m = ckpt.history[ckpt.epoch - 1];
      if (m) meta.metrics = Object.fromEntries(Object.entries(m).filter(([k, v]) => k.startsWith('val') && typeof v === 'number')) as Record<string, number>;
    }
    fs.mkdirSync(path.dirname(path.resolve(opts.out)), { recursive: true });
    if (opts.format === 'tfjs') {
      await exportTfjs(tf, model, opts.out, { layerloom: { ...meta, graphHash: graphHash(graph.doc) } });
      const bytes = fs.statSync(path.join(opts.out, 'weights.bin')).size;
      return { out: opts.out, format: 'tfjs', bytes, runId: opts.run };
    }
    const bytes = exportOnnx(graph, model, { opset: opts.opset, metadata: meta });
    let verify: ExportJobResult['verify'];
    if (opts.verify) {
      let inputs: Map<string, InputBatch> | undefined;
      let kind: 'dataset' | 'random' = 'random';
      if (dataSpec) {
        try {
          inputs = await datasetBatch(graph, dataSpec, graph.doc.training?.seed ?? 42);
          kind = 'dataset';
        } catch {
          inputs = undefined; // data not reachable here (or not fitting): random inputs still verify the math
        }
      }
      const result = await verifyOnnx(tf, graph, model, bytes, inputs ?? randomInputs(graph, 16));
      const tolerance = verifyTolerance(graph);
      verify = { ...result, tolerance, passed: result.maxAbsDiff <= tolerance, inputs: kind };
      if (!verify.passed) return { out: opts.out, format: 'onnx', bytes: 0, runId: opts.run, verify };
    }
    writeFileAtomic(opts.out, bytes);
    return { out: opts.out, format: 'onnx', bytes: bytes.length, runId: opts.run, verify };
  } finally {
    model.dispose();
  }
}
