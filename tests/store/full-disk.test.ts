/**
 * A full or read-only data folder, on a real 2 MB tmpfs: the error names the path and the
 * cause (ENOSPC, EROFS), the run is stored as failed with that reason, no temp file is left,
 * stale temp files of a killed writer are removed at the next start, and `layerloom runs`
 * still lists the history. Mounting needs root (CI runs as root); elsewhere the tests skip
 * with a one-line reason.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { saveCheckpoint, type Checkpoint } from '../../engine/train/checkpoint.js';
import { DiskError } from '../../engine/util/disk-errors.js';
import { root, runCli } from '../cli/run-cli.js';

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'loom-fulldisk-'));
const mnt = path.join(base, 'mnt');
fs.mkdirSync(mnt);

/** Why no tmpfs can be mounted here (null: it can). */
function mountProblem(): string | null {
  if (process.platform !== 'linux') return `tmpfs mounts are Linux-only (platform ${process.platform})`;
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mnt], { encoding: 'utf8' });
  if (r.status !== 0) return `cannot mount a tmpfs (${(r.stderr || r.error?.message || `exit ${r.status}`).trim().split('\n')[0]})`;
  execFileSync('umount', [mnt]);
  return null;
}
const problem = mountProblem();
if (problem) console.warn(`full-disk tests skipped: ${problem}`);

/** Mounts a fresh 2 MB tmpfs at `mnt` for one test. */
function mountTmpfs(): string {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mnt]);
  return mnt;
}
afterEach(() => {
  if (!problem) spawnSync('umount', [mnt]);
});
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

/** Fills the file system of `dir` to the last byte. */
function fill(dir: string): void {
  const fd = fs.openSync(path.join(dir, 'filler'), 'w');
  try {
    const chunk = Buffer.alloc(64 * 1024);
    for (;;) fs.writeSync(fd, chunk);
  } catch (e) {
    expect((e as NodeJS.ErrnoException).code).toBe('ENOSPC');
  } finally {
    fs.closeSync(fd);
  }
}

/** Every file under `dir`, relative. */
function filesUnder(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile());
}

const lenet = path.join(root, 'examples/lenet-mnist.loom.json');
const mlp = path.join(root, 'examples/mlp-digits.loom.json');

describe.skipIf(problem !== null)('a full or read-only data folder (2 MB tmpfs)', () => {
  it('a checkpoint that does not fit fails with ENOSPC and its path, leaving no temp file', async () => {
    const dir = path.join(mountTmpfs(), 'runs', 'r1');
    const big: Checkpoint = {
      epoch: 0,
      globalStep: 0,
      seed: 0,
      rngState: 0,
      optimizer: 'sgd',
      earlyStopping: null,
      best: null,
      history: [],
      savedAt: '2026-01-01T00:00:00.000Z',
      modelWeights: [{ name: 'w', shape: [1 << 20], dtype: 'float32', data: new Float32Array(1 << 20) }],
      optimizerWeights: [],
    } as unknown as Checkpoint;
    const e = await saveCheckpoint(dir, 'last', big).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(DiskError);
    expect((e as DiskError).code).toBe('ENOSPC');
    expect((e as Error).message).toBe(`cannot write the checkpoint ${path.join(dir, 'last.ckpt')}: no space left on the device (ENOSPC)`);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('training on a full disk fails naming the checkpoint and ENOSPC, the run is stored failed, and runs still lists it', async () => {
    const data = mountTmpfs();
    // LeNet's checkpoint (weights + Adam state, ~1.9 MB) cannot fit beside the database.
    const r = await runCli(['train', lenet, '--data-dir', data, '--epochs', '1', '--limit', '256', '--backend', 'onnxruntime']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot write the checkpoint .*\/runs\/r[\w-]+\/last\.ckpt: no space left on the device \(ENOSPC\)/);
    expect(filesUnder(data).filter((f) => f.includes('.tmp'))).toEqual([]);
    const listed = await runCli(['runs', '--data-dir', data, '--json']);
    expect(listed.code).toBe(0);
    const [run] = JSON.parse(listed.stdout) as { status: string; error: string }[];
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/ENOSPC/);
    // Filled to the last byte (by something else), the history is still listed, read-only.
    fill(data);
    const full = await runCli(['runs', '--data-dir', data]);
    expect(full.code).toBe(0);
    expect(full.stderr).toMatch(/^warning: cannot write the run database .*layerloom\.db: no space left on the device \(ENOSPC/);
    expect(full.stdout).toMatch(/failed\s+lenet-mnist/);
    const again = await runCli(['train', mlp, '--data-dir', data, '--epochs', '1']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/layerloom\.db: no space left on the device \(ENOSPC/);
  });

  it('a read-only data folder names the database and EROFS; runs lists read-only', async () => {
    const data = mountTmpfs();
    expect((await runCli(['train', mlp, '--data-dir', data, '--epochs', '1'])).code).toBe(0);
    execFileSync('mount', ['-o', 'remount,ro', mnt]);
    const r = await runCli(['train', mlp, '--data-dir', data, '--epochs', '1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`cannot write the run database ${path.join(data, 'layerloom.db')}: the file system is read-only (EROFS`);
    const listed = await runCli(['runs', '--data-dir', data]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/completed\s+mlp-digits/);
    expect(listed.stderr).toMatch(/EROFS.*listing the runs read-only/);
  });

  it('stale temp files of a killed writer are removed at the next start; a live writer keeps its own', async () => {
    const data = mountTmpfs();
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const runDir = path.join(data, 'runs', 'r20260101000000-aaaaaa');
    fs.mkdirSync(runDir, { recursive: true });
    const stale = path.join(runDir, `last.ckpt.tmp-${dead}-0badc0de`);
    const live = path.join(runDir, `last.ckpt.tmp-${process.pid}-0badc0de`);
    fs.writeFileSync(stale, '');
    fs.writeFileSync(live, '');
    fs.writeFileSync(path.join(data, `.model.onnx.${dead}.tmp`), 'x');
    expect((await runCli(['train', mlp, '--data-dir', data, '--epochs', '1'])).code).toBe(0);
    expect(fs.existsSync(stale)).toBe(false);
    expect(fs.existsSync(path.join(data, `.model.onnx.${dead}.tmp`))).toBe(false);
    expect(fs.existsSync(live)).toBe(true);
  });
});
