/**
 * Training checkpoints on disk: everything needed to continue a run exactly where it left
 * off (model and optimizer weights, epoch, RNG state, early-stopping state, history).
 *
 * File format (one file, so a write is atomic as a whole):
 *   8 bytes  magic `LLCKPT01`
 *   4 bytes  header length N (uint32, little-endian)
 *   N bytes  UTF-8 JSON header: metadata + a manifest of tensors (group, name, shape,
 *            dtype, byte offset, byte length) + payload length and FNV-1a checksum
 *   rest     tensor payload, raw little-endian float32/int32
 * Binary payload keeps checkpoints of image models small and exact (no float → text);
 * the checksum turns a torn or edited file into a clear Error instead of silent garbage.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { diskError } from '../util/disk-errors.js';
import type { EarlyStoppingState } from './early-stopping.js';
import type { EpochMetrics } from './events.js';
import type { SavedTensor } from './saved-tensor.js';

/** `last` is written every epoch; `best` when the monitored metric improves. */
export type CheckpointKind = 'last' | 'best';

/** Everything a checkpoint holds. */
export interface Checkpoint {
  /** Epochs completed when it was written (1-based number of the last finished epoch). */
  epoch: number;
  /** Optimizer steps taken so far. */
  globalStep: number;
  /** Seed of the run (a resume must use the same one to reproduce). */
  seed: number;
  /** State of the loop's shuffle/augmentation Rng after `epoch`. */
  rngState: number;
  /** Optimizer name, checked on resume. */
  optimizer: string;
  earlyStopping?: EarlyStoppingState;
  /** Best value of the checkpoint monitor so far, for choosing `best`. */
  best: { monitor: string; value: number | null; epoch: number };
  /** Metrics of every completed epoch, index 0 = epoch 1. */
  history: EpochMetrics[];
  /** ISO time of writing. */
  savedAt: string;
  modelWeights: SavedTensor[];
  optimizerWeights: SavedTensor[];
  /** Early stopping's best-weights snapshot when `restoreBest` is on. */
  bestWeights?: SavedTensor[];
}

const MAGIC = 'LLCKPT01';
const VERSION = 1;
const GROUPS = ['modelWeights', 'optimizerWeights', 'bestWeights'] as const;
type Group = (typeof GROUPS)[number];

interface ManifestEntry {
  group: Group;
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  offset: number;
  length: number;
}

/** Path of a checkpoint file in `dir`. */
export function checkpointPath(dir: string, kind: CheckpointKind): string {
  return path.join(dir, `${kind}.ckpt`);
}

/** FNV-1a over bytes: cheap, dependency-free corruption detection (not security). */
function fnv1a(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i];
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Serializes a checkpoint to bytes. */
export function encodeCheckpoint(ckpt: Checkpoint): Buffer {
  const manifest: ManifestEntry[] = [];
  const chunks: Buffer[] = [];
  let offset = 0;
  for (const group of GROUPS) {
    for (const t of ckpt[group] ?? []) {
      const bytes = Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);
      manifest.push({ group, name: t.name, shape: t.shape, dtype: t.dtype, offset, length: bytes.length });
      chunks.push(bytes);
      offset += bytes.length;
    }
  }
  const payload = Buffer.concat(chunks, offset);
  const { modelWeights: _m, optimizerWeights: _o, bestWeights: _b, ...meta } = ckpt;
  const header = Buffer.from(
    JSON.stringify({
      version: VERSION,
      meta,
      hasBestWeights: ckpt.bestWeights !== undefined,
      manifest,
      payloadLength: payload.length,
      checksum: fnv1a(payload),
    }),
    'utf8',
  );
  const len = Buffer.alloc(4);
  len.writeUInt32LE(header.length, 0);
  return Buffer.concat([Buffer.from(MAGIC, 'latin1'), len, header, payload]);
}

/** Parses bytes written by `encodeCheckpoint`; `file` names the source in errors. */
export function decodeCheckpoint(buf: Buffer, file: string): Checkpoint {
  const bad = (why: string) => new Error(`checkpoint ${file} is corrupt: ${why}`);
  if (buf.length < 12 || buf.toString('latin1', 0, 8) !== MAGIC) throw bad('not a Layerloom checkpoint (bad magic)');
  const headerLen = buf.readUInt32LE(8);
  if (12 + headerLen > buf.length) throw bad('truncated header');
  let header: {
    version: number;
    meta: Omit<Checkpoint, Group>;
    hasBestWeights: boolean;
    manifest: ManifestEntry[];
    payloadLength: number;
    checksum: number;
  };
  try {
    header = JSON.parse(buf.toString('utf8', 12, 12 + headerLen));
  } catch (e) {
    throw bad(`header is not JSON (${(e as Error).message})`);
  }
  if (header.version !== VERSION) throw new Error(`checkpoint ${file} has version ${header.version}, this build reads ${VERSION}`);
  const payload = buf.subarray(12 + headerLen);
  if (payload.length !== header.payloadLength) throw bad(`payload is ${payload.length} bytes, header says ${header.payloadLength}`);
  if (fnv1a(payload) !== header.checksum) throw bad('checksum mismatch');
  const groups: Record<Group, SavedTensor[]> = { modelWeights: [], optimizerWeights: [], bestWeights: [] };
  for (const e of header.manifest) {
    if (e.offset + e.length > payload.length) throw bad(`tensor '${e.name}' runs past the payload`);
    // Copy into a fresh, aligned buffer: typed arrays need 4-byte alignment.
    const bytes = new Uint8Array(e.length);
    bytes.set(payload.subarray(e.offset, e.offset + e.length));
    const data = e.dtype === 'int32' ? new Int32Array(bytes.buffer) : new Float32Array(bytes.buffer);
    if (data.length !== e.shape.reduce((a, b) => a * b, 1)) throw bad(`tensor '${e.name}' size does not match shape [${e.shape}]`);
    groups[e.group].push({ name: e.name, shape: e.shape, dtype: e.dtype, data });
  }
  return {
    ...header.meta,
    modelWeights: groups.modelWeights,
    optimizerWeights: groups.optimizerWeights,
    ...(header.hasBestWeights ? { bestWeights: groups.bestWeights } : {}),
  };
}

/**
 * Writes `ckpt` to `dir/<kind>.ckpt` atomically: write a temp file in the same directory,
 * fsync it, rename over the target, then fsync the directory (best effort) so the rename
 * itself survives a crash. A reader sees the old file or the new one, never half of one.
 * Returns the final path.
 */
export async function saveCheckpoint(dir: string, kind: CheckpointKind, ckpt: Checkpoint): Promise<string> {
  const target = checkpointPath(dir, kind);
  const tmp = `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await fs.mkdir(dir, { recursive: true });
    // The temp file goes on every failure path (a full disk fails the write, the sync or the
    // close): left behind it would hold the space the user needs to recover.
    try {
      const fh = await fs.open(tmp, 'w');
      try {
        await fh.writeFile(encodeCheckpoint(ckpt));
        await fh.sync();
      } finally {
        await fh.close();
      }
      await fs.rename(tmp, target);
    } catch (e) {
      await fs.rm(tmp, { force: true });
      throw e;
    }
  } catch (e) {
    throw diskError(e, target, 'write the checkpoint');
  }
  try {
    const d = await fs.open(dir, 'r');
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  } catch {
    // Directory fsync is not supported everywhere (e.g. Windows); the rename still happened.
  }
  return target;
}

/** Reads `dir/<kind>.ckpt`; missing or corrupt files give an Error naming the file. */
export async function loadCheckpoint(dir: string, kind: CheckpointKind): Promise<Checkpoint> {
  const file = checkpointPath(dir, kind);
  let buf: Buffer;
  try {
    buf = await fs.readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`checkpoint ${file} does not exist`);
    throw new Error(`cannot read checkpoint ${file}: ${(e as Error).message}`);
  }
  return decodeCheckpoint(buf, file);
}
