/**
 * Export in the tf.js Layers format (model.json + one weights file) for use in browsers with
 * `tf.loadLayersModel`. Written through a save handler, so no tfjs-node file IO is needed.
 */
import type * as tfNs from '@tensorflow/tfjs';
import fs from 'node:fs';
import path from 'node:path';
import type { Tf } from '../layers/types.js';
import { writeDirAtomic } from '../util/atomic.js';

/** Saves `model` into folder `dir` (created or replaced atomically). Returns the file names. */
export async function exportTfjs(tf: Tf, model: tfNs.LayersModel, dir: string, userDefinedMetadata: Record<string, unknown>): Promise<string[]> {
  const files = ['model.json', 'weights.bin'];
  await writeDirAtomic(dir, async (tmp) => {
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        const weights = artifacts.weightData ? new Uint8Array(artifacts.weightData as ArrayBuffer) : new Uint8Array();
        fs.writeFileSync(path.join(tmp, 'weights.bin'), weights);
        const json = {
          format: 'layers-model',
          generatedBy: 'Layerloom',
          convertedBy: null,
          modelTopology: artifacts.modelTopology,
          weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
          userDefinedMetadata,
        };
        fs.writeFileSync(path.join(tmp, 'model.json'), JSON.stringify(json));
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
  });
  return files;
}

/** Loads a folder written by exportTfjs (or any tf.js layers-model folder) from disk. */
export async function loadTfjsFolder(tf: Tf, dir: string): Promise<tfNs.LayersModel> {
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')) as {
    modelTopology: object;
    weightsManifest: { paths: string[]; weights: tfNs.io.WeightsManifestEntry[] }[];
  };
  const specs = json.weightsManifest.flatMap((g) => g.weights);
  const buffers = json.weightsManifest.flatMap((g) => g.paths.map((p) => fs.readFileSync(path.join(dir, p))));
  const all = Buffer.concat(buffers);
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: specs, weightData }));
}
