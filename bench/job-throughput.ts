/**
 * Does a training job started from the designer get the bench's speed? Trains the bench's
 * LeNet-style CNN (models.ts) on the same MNIST subset and batch twice in the same run:
 *  - the bench loop: the shared loop on the compiled ONNX step in this process, without
 *    validation (training.ts's `engineLoopRate`), its warm epoch's samples/s;
 *  - a job: the server's job manager (engine/server/jobs) forks a job process that runs the
 *    whole training job (validation on MNIST's test set, checkpoints, the run store, events
 *    over IPC); the rate is what the dashboard shows for the warm epoch — its last batch
 *    event's running samples/s — and the epoch event's (which includes validation).
 * The ratio job ÷ loop is the figure (goal ≥ 0.9).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { subset } from '../engine/data/split.js';
import { loadTrainVal } from '../engine/data/train-val.js';
import type { Tf } from '../engine/layers/types.js';
import type { TrainEventOut } from '../engine/server/protocol/train.js';
import { TrainJobs } from '../engine/server/jobs/train-jobs.js';
import { cnnDoc } from './models.js';
import { engineLoopRate } from './training.js';

/** What {@link jobThroughput} measured, samples/s. */
export interface JobThroughput {
  samples: number;
  batchSize: number;
  /** The bench loop's warm epoch. */
  loop: number;
  /** The job's warm epoch as the dashboard shows it (last batch event's running rate). */
  jobDashboard: number;
  /** The job's warm epoch event (training + validation + checkpoint over the epoch's wall time). */
  jobEpoch: number;
}

/** Trains a 2-epoch job of `samples` MNIST images and the bench loop on the same images. */
export async function jobThroughput(tf: Tf, samples = 64 * 60, batchSize = 64): Promise<JobThroughput> {
  const seed = 42;
  const data = await loadTrainVal('mnist', { seed, validationSplit: 0.1 });
  const loop = await engineLoopRate(tf, cnnDoc, subset(data.train, samples, seed), batchSize, 'onnxruntime');

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'layerloom-bench-job-'));
  const jobs = new TrainJobs(dataDir);
  // The manager unrefs its children (a server must not wait on them): hold this process open.
  const keepAlive = setInterval(() => undefined, 1000);
  try {
    const doc = { ...cnnDoc, training: { dataset: 'mnist', epochs: 2, batchSize, limit: samples, seed, optimizer: { name: 'adam', learningRate: 0.001 } } };
    const runId = jobs.start({ text: JSON.stringify(doc), backend: 'onnxruntime' });
    let jobDashboard = NaN;
    let jobEpoch = NaN;
    const status = await jobs.watch(runId, (e: TrainEventOut) => {
      if (e.event === 'batch' && e.epoch === 2) jobDashboard = e.samplesPerSec ?? NaN;
      if (e.event === 'epoch' && e.epoch === 2) jobEpoch = e.samplesPerSec ?? NaN;
    });
    if (status !== 'completed') throw new Error(`bench job ended ${status}`);
    return { samples, batchSize, loop, jobDashboard, jobEpoch };
  } finally {
    clearInterval(keepAlive);
    jobs.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
