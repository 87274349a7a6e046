// Faults of a search on BullMQ workers, through the real CLI and a real redis-server started
// here on a free loopback port (append-only file on): a worker SIGKILLed mid-trial (its trial
// stalls and re-runs on another worker: exact budget, each trial once), the coordinator
// SIGKILLed (`search resume` reattaches to jobs that finished meanwhile without re-running
// them), Redis restarted mid-search (the search goes on), and a worker started before Redis
// (it retries with backoff and says so). Trials are tabular look-ups slowed to 300 ms by the
// worker's LAYERLOOM_TEST_TRIAL_DELAY_MS hook, so "mid-trial" is a real window.
import { spawn, type ChildProcess } from 'node:child_process';
import { needs } from '../tools.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort, redisMissing, startRedis, type TestRedis } from '../../nas/runner/queue/redis-server.testkit.js';
import { bin, jsonLines, root, runCli, startCli } from './run-cli.js';

const TABLE = path.join(root, '../shared/data/nasbench201/nb201_cifar10.json');
const missing = redisMissing();
// tests/tools.ts reports these as not run (with the install command) where Redis is missing, and fails them under CI.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loom-qfault-'));

interface WorkerProc {
  child: ChildProcess;
  name: string;
  lines: Record<string, unknown>[];
  stderr: string;
  exited: Promise<void>;
}

const procs: WorkerProc[] = [];

/** Starts `layerloom worker --json` with the trial delay hook; resolves once its first line says it is ready. */
function startWorker(url: string, extra: string[] = [], waitReady = true): Promise<WorkerProc> {
  const child = spawn(process.execPath, [bin, 'worker', '--queue', url, '--json', '--stall-seconds', '3', ...extra], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LAYERLOOM_TEST_TRIAL_DELAY_MS: '300' },
  });
  const w: WorkerProc = { child, name: '', lines: [], stderr: '', exited: new Promise((res) => child.once('exit', () => res())) };
  procs.push(w);
  child.stderr!.on('data', (d: Buffer) => (w.stderr += d));
  let pending = '';
  return new Promise((resolve, reject) => {
    if (!waitReady) resolve(w);
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}: ${w.stderr}`)));
    child.stdout!.on('data', (d: Buffer) => {
      pending += d;
      const parts = pending.split('\n');
      pending = parts.pop()!;
      for (const l of parts) {
        const e = JSON.parse(l) as Record<string, unknown>;
        w.lines.push(e);
        if (e.event === 'ready') {
          w.name = String(e.worker);
          resolve(w);
        }
      }
    });
  });
}

async function stopWorkers(): Promise<void> {
  for (const w of procs.splice(0)) {
    if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    await w.exited;
  }
}

const until = async (what: string, cond: () => boolean, ms = 60_000) => {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

const searchArgs = (url: string, trials: number, seed: number) => [
  'search',
  '--space',
  'nb201',
  '--strategy',
  'random',
  '--evaluator',
  `tabular:${TABLE}`,
  '--budget-trials',
  String(trials),
  '--seed',
  String(seed),
  '--queue',
  url,
  '--workers',
  '4',
  '--json',
  '--data-dir',
  dataDir,
];

/** The trials a finished search stored, via `search` events of its done line and the trial lines. */
function trialsOf(stdout: string): Record<string, unknown>[] {
  return jsonLines(stdout).filter((e) => e.event === 'trial');
}

describe(`search on queue workers: faults${missing ? ` (no Redis: ${missing})` : ''}`, needs('redis-server'), () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis({ appendonly: true });
  }, 30_000);
  afterEach(stopWorkers, 30_000);
  afterAll(async () => {
    await stopWorkers();
    await redis?.dispose();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('a worker SIGKILLed mid-trial: its trial stalls, re-runs on another worker; exact budget, each trial once', async () => {
    const ws = await Promise.all([startWorker(redis.url), startWorker(redis.url), startWorker(redis.url)]);
    const search = startCli(searchArgs(redis.url, 12, 1));
    await until('a trial to start', () => ws.some((w) => w.lines.some((e) => e.event === 'trial-start')));
    const w = ws.find((x) => x.lines.some((e) => e.event === 'trial-start'))!;
    const victim = { name: w.name, trialId: w.lines.find((e) => e.event === 'trial-start')!.trialId as number };
    w.child.kill('SIGKILL');
    const r = await search.done;
    expect(r.code, r.stderr).toBe(0);
    const trials = trialsOf(r.stdout);
    expect(trials.map((t) => t.trialId).sort((a, b) => (a as number) - (b as number))).toEqual([...Array(12).keys()]);
    expect(trials.every((t) => t.status === 'ok')).toBe(true);
    const rerun = trials.find((t) => t.trialId === victim.trialId)!;
    expect(rerun.worker).not.toBe(victim.name);
    // The survivors ran it as its second attempt.
    const again = ws.flatMap((x) => x.lines).filter((e) => e.event === 'trial-done' && e.trialId === victim.trialId);
    expect(again.map((e) => e.attempt)).toEqual([2]);
    expect(jsonLines(r.stdout).at(-1)).toMatchObject({ event: 'done', status: 'completed' });
  }, 180_000);

  it('a trial whose worker is lost twice counts as failed (retried once), and the search goes on', async () => {
    const [w1, w2] = await Promise.all([startWorker(redis.url), startWorker(redis.url)]);
    const args = searchArgs(redis.url, 3, 4);
    args[args.indexOf('--workers') + 1] = '1'; // one trial in flight: the same trial meets both kills
    const search = startCli(args);
    const started = (w: WorkerProc) => w.lines.some((e) => e.event === 'trial-start');
    await until('a first worker to take the trial', () => started(w1) || started(w2));
    const [first, second] = started(w1) ? [w1, w2] : [w2, w1];
    const trialId = first.lines.find((e) => e.event === 'trial-start')!.trialId;
    first.child.kill('SIGKILL');
    await until('the re-run on the second worker', () => second.lines.some((e) => e.event === 'trial-start' && e.trialId === trialId));
    expect(second.lines.find((e) => e.event === 'trial-start' && e.trialId === trialId)).toMatchObject({ attempt: 2 });
    second.child.kill('SIGKILL');
    const third = await startWorker(redis.url); // its stalled check finds the second loss
    const r = await search.done;
    expect(r.code, r.stderr).toBe(0);
    const trials = trialsOf(r.stdout);
    expect(trials).toHaveLength(3);
    const lost = trials.find((t) => t.trialId === trialId)!;
    expect(lost.status).toBe('failed');
    expect(String(lost.error)).toMatch(/^trial lost with its worker 2 times \(attempt 2 of 2\): its queue worker stopped answering/);
    expect(trials.filter((t) => t.trialId !== trialId).every((t) => t.status === 'ok' && t.worker === third.name)).toBe(true);
  }, 180_000);

  it('the coordinator SIGKILLed: search resume reattaches to finished and waiting jobs without re-running them', async () => {
    const ws = await Promise.all([startWorker(redis.url), startWorker(redis.url)]);
    let id = '';
    let seen = 0;
    const first = startCli(searchArgs(redis.url, 12, 2), (line, child) => {
      const e = JSON.parse(line) as { event: string; experimentId?: string };
      if (e.event !== 'trial') return;
      id = e.experimentId!;
      if (++seen === 3) child.kill('SIGKILL');
    });
    const killed = await first.done;
    expect(killed.signal).toBe('SIGKILL');
    const before = trialsOf(killed.stdout).length;
    // Jobs in flight finish while the coordinator is away.
    const doneFor = () => ws.flatMap((w) => w.lines).filter((e) => e.event === 'trial-done' && e.experimentId === id);
    const inflight = doneFor().length;
    await until('the jobs in flight to finish', () =>
      ws.every(
        (w) =>
          w.lines.filter((e) => e.event === 'trial-start' && e.experimentId === id).length ===
          w.lines.filter((e) => e.event === 'trial-done' && e.experimentId === id).length,
      ),
    );
    expect(doneFor().length).toBeGreaterThanOrEqual(inflight);

    const resumed = await runCli(['search', 'resume', id, '--queue', redis.url, '--workers', '4', '--json', '--data-dir', dataDir]);
    expect(resumed.code, resumed.stderr).toBe(0);
    const later = trialsOf(resumed.stdout);
    const all = [...trialsOf(killed.stdout), ...later].map((t) => t.trialId as number).sort((a, b) => a - b);
    expect(all).toEqual([...Array(12).keys()]);
    expect(before).toBeGreaterThanOrEqual(3);
    // Every trial ran exactly once on the workers: nothing finished was run again.
    const runs = doneFor()
      .map((e) => e.trialId as number)
      .sort((a, b) => a - b);
    expect(runs).toEqual([...Array(12).keys()]);
  }, 180_000);

  it('Redis restarted mid-search (append-only file on): the search continues to its budget', async () => {
    await Promise.all([startWorker(redis.url), startWorker(redis.url)]);
    let seen = 0;
    let restarted: Promise<void> | undefined;
    const search = startCli(searchArgs(redis.url, 12, 3), (line) => {
      if ((JSON.parse(line) as { event: string }).event !== 'trial' || ++seen !== 3) return;
      restarted = (async () => {
        await redis.stop();
        await new Promise((r) => setTimeout(r, 1000));
        await redis.start();
      })();
    });
    const r = await search.done;
    await restarted;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('cannot reach Redis at redis://127.0.0.1');
    const trials = trialsOf(r.stdout);
    expect(trials.map((t) => t.trialId).sort((a, b) => (a as number) - (b as number))).toEqual([...Array(12).keys()]);
    expect(jsonLines(r.stdout).at(-1)).toMatchObject({ event: 'done', status: 'completed' });
  }, 180_000);

  it('a worker that cannot reach Redis retries with backoff, says so, and starts once Redis is there', async () => {
    const port = await freePort();
    const w = await startWorker(`redis://:hunter2@127.0.0.1:${port}`, [], false);
    await until('a retry message', () => /retrying in 1\.0 s \(attempt 2\)/.test(w.stderr), 30_000);
    expect(w.stderr).toContain(`cannot reach Redis at redis://:***@127.0.0.1:${port} (ECONNREFUSED); retrying in 0.5 s (attempt 1)`);
    const late = await startRedis({ port, password: 'hunter2' });
    try {
      await until('the worker to connect', () => w.stderr.includes('waiting for trials'), 60_000);
      expect(w.stderr).not.toContain('hunter2');
      w.child.kill('SIGTERM');
      await w.exited;
      expect(w.child.exitCode).toBe(0);
      expect(w.stderr).toContain('finishing the trials in hand');
    } finally {
      await late.dispose();
    }
  }, 120_000);
});
