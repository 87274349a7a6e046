/** The messages between the engine server and a job process (IPC, JSON). */
import type { ExportJobOptions, ExportJobResult } from '../../jobs/export-job.js';
import type { TrainJobOptions } from '../../jobs/train-job.js';
import type { ErrorInfo } from '../protocol/index.js';
import type { TrainEventOut } from '../protocol/train.js';

/** What a training job process is given (callbacks and the signal live in the process). */
export type TrainJobSpec = Pick<TrainJobOptions, 'text' | 'project' | 'resume' | 'runId' | 'overrides' | 'backend' | 'dataDir'>;

/** Server -> job process. */
export type ToJob = { type: 'train'; spec: TrainJobSpec } | { type: 'export'; options: ExportJobOptions } | { type: 'stop' };

/** Job process -> server. */
export type FromJob = { type: 'event'; event: TrainEventOut } | { type: 'exported'; result: ExportJobResult } | { type: 'error'; error: ErrorInfo };
