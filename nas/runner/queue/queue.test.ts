// Trials through BullMQ on a real redis-server (started here on a free loopback port): a
// search on two queue workers runs each trial once with the exact budget; workers validate
// jobs (zod), refuse bad graphs naming the node, name a missing dataset file and themselves;
// a password URL works and never reaches a log. Kill/restart faults: tests/cli/queue-faults.test.ts.
import fs from 'node:fs';
import { needs } from '../../../tests/tools.js';
import path from 'node:path';
import { Queue, QueueEvents } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExperimentStore } from '../../../engine/store/experiments.js';
import { drawnSpace } from '../../space/drawn.js';
import type { ExperimentConfig } from '../config.js';
import { resumeExperiment, runExperiment } from '../experiment.js';
import { useTempDbs } from '../test-db.testkit.js';
import type { TrialEvent } from '../types.js';
import { connectRedis, parseQueueUrl, QUEUE_NAME } from './connection.js';
import { decodeEvaluation, JOB_FORMAT, trialResultSchema, type TrialJob } from './jobs.js';
import { startQueueWorker, type QueueWorker } from './queue-worker.js';
import { redisMissing, startRedis, type TestRedis } from './redis-server.testkit.js';

const repoRoot = path.join(import.meta.dirname, '../../..');
const TABLE = path.join(repoRoot, '../shared/data/nasbench201/nb201_cifar10.json');
const SPACE_FILE = path.join(repoRoot, 'examples/spaces/space-digits.loom.json');
const missing = redisMissing();
// tests/tools.ts reports these as not run (with the install command) where Redis is missing, and fails them under CI.
const tmpDb = useTempDbs('loom-queue-');

const PASSWORD = 'pa55-w0rd';

describe(`trials on a BullMQ queue${missing ? ` (no Redis: ${missing})` : ''}`, needs('redis-server'), () => {
  let redis: TestRedis;
  const workers: QueueWorker[] = [];
  const logs: string[] = [];
  beforeAll(async () => {
    redis = await startRedis({ password: PASSWORD });
    for (const name of ['w1', 'w2']) workers.push(await startQueueWorker({ url: redis.url, concurrency: 1, name, log: (l) => logs.push(l), stallSeconds: 5 }));
  }, 60_000);
  afterAll(async () => {
    for (const w of workers) await w.close();
    await redis?.dispose();
  });

  it('runs a tabular search on two workers: exact budget, each trial once, results named by worker', async () => {
    const db = tmpDb();
    const events: TrialEvent[] = [];
    const config: ExperimentConfig = {
      space: 'nb201',
      strategy: { name: 'evolution' },
      evaluator: { spec: `tabular:${TABLE}` },
      objective: { metric: 'valid' },
      report: 'test',
      budget: { trials: 30 },
      seed: 4,
    };
    const r = await runExperiment({ db, config, queue: redis.url, workers: 3, onTrial: (t) => events.push(t) });
    expect([r.status, r.trials]).toEqual(['completed', 30]);
    const trials = new ExperimentStore(db).trials(r.id);
    expect(trials.map((t) => t.trialId).sort((a, b) => a - b)).toEqual([...Array(30).keys()]);
    expect(trials.every((t) => t.status === 'ok')).toBe(true);
    expect(new Set(events.map((e) => e.worker))).toEqual(new Set(['w1', 'w2']));
    expect(new ExperimentStore(db).pending(r.id)).toEqual([]);
    // The password reached Redis but no message.
    expect(logs.join('\n')).toContain('redis://:***@127.0.0.1');
    expect(logs.join('\n')).not.toContain(PASSWORD);
  }, 120_000);

  it('trains a drawn space on the workers: the job carries the concrete graph, results come back with metrics', async () => {
    const db = tmpDb();
    const config: ExperimentConfig = {
      space: 'space-digits.loom.json',
      spaceDoc: fs.readFileSync(SPACE_FILE, 'utf8'),
      strategy: { name: 'random' },
      evaluator: { spec: 'train', train: { epochs: 1, limit: 100 } },
      objective: { metric: 'valAccuracy' },
      report: 'valAccuracy',
      budget: { trials: 3 },
      seed: 2,
    };
    const events: TrialEvent[] = [];
    const r = await runExperiment({ db, config, queue: redis.url, workers: 2, onTrial: (t) => events.push(t) });
    expect([r.status, r.trials]).toEqual(['completed', 3]);
    for (const t of new ExperimentStore(db).trials(r.id)) {
      expect(t.status, t.error ?? '').toBe('ok');
      expect(t.metrics.valAccuracy).toBeGreaterThan(0);
      expect(t.metrics.params).toBeGreaterThan(0);
    }
    expect(events.every((e) => e.worker === 'w1' || e.worker === 'w2')).toBe(true);
  }, 180_000);

  it('stops and resumes on the queue: the stored URL has no password, so resume asks for it; nothing lost or doubled', async () => {
    const db = tmpDb();
    const store = new ExperimentStore(db);
    const config: ExperimentConfig = {
      space: 'nb201',
      strategy: { name: 'random' },
      evaluator: { spec: `tabular:${TABLE}` },
      objective: { metric: 'valid' },
      report: 'test',
      budget: { trials: 20 },
      seed: 9,
    };
    const ctl = new AbortController();
    const part = await runExperiment({ db, config, queue: redis.url, workers: 4, signal: ctl.signal, onTrial: (t) => t.seq === 5 && ctl.abort() });
    expect(part.status).toBe('cancelled');
    expect(store.get(part.id)!.config).toMatchObject({ queue: `redis://:***@127.0.0.1:${redis.port}` });
    expect(JSON.stringify(store.get(part.id)!.config)).not.toContain(PASSWORD);
    await expect(resumeExperiment({ db, id: part.id })).rejects.toThrow(
      `experiment ${part.id} ran its trials on the queue at redis://:***@127.0.0.1:${redis.port}; give its URL again with --queue or LAYERLOOM_QUEUE (passwords are not stored)`,
    );
    const done = await resumeExperiment({ db, id: part.id, queue: redis.url, workers: 4 });
    expect([done.status, done.trials]).toEqual(['completed', 20]);
    expect(
      store
        .trials(part.id)
        .map((t) => t.trialId)
        .sort((a, b) => a - b),
    ).toEqual([...Array(20).keys()]);
    expect(store.pending(part.id)).toEqual([]);
  }, 120_000);

  it('checks jobs before running them: zod, graph validation naming the node, dataset files naming file and worker', async () => {
    const conn = connectRedis(parseQueueUrl(redis.url), () => undefined);
    const queue = new Queue(QUEUE_NAME, { connection: conn });
    const events = new QueueEvents(QUEUE_NAME, { connection: connectRedis(parseQueueUrl(redis.url), () => undefined) });
    await events.waitUntilReady();
    try {
      const spaceDoc = fs.readFileSync(SPACE_FILE, 'utf8');
      const space = drawnSpace(spaceDoc);
      const key = space.key(Object.fromEntries(space.decisions.map((d) => [d.name, d.options[0]])));
      const graph = space.materialize(space.fromKey(key)) as unknown as { nodes: { id: string; kind: string; params: Record<string, unknown> }[] };
      const config: ExperimentConfig = {
        space: 'space-digits.loom.json',
        spaceDoc,
        strategy: { name: 'random' },
        evaluator: { spec: 'train', train: { epochs: 1, limit: 50 } },
        objective: { metric: 'valAccuracy' },
        report: 'valAccuracy',
        budget: { trials: 1 },
        seed: 0,
      };
      const job = (id: string, over: Partial<TrialJob> & Record<string, unknown>) =>
        queue.add('trial', { v: JOB_FORMAT, experimentId: 'checks', trialId: 0, key, config, graph, ...over }, { jobId: id, attempts: 1 });

      // 1. Not a valid job: refused before anything runs, the field named.
      const bad = await job('checks-zod', { trialId: -1 });
      await expect(bad.waitUntilFinished(events)).rejects.toThrow(/refused job checks-zod: trialId: /);

      // 2. A graph that fails validation: the trial fails naming the node.
      const broken = structuredClone(graph);
      const dense = broken.nodes.find((n) => n.kind === 'Dense')!;
      dense.params.units = -3;
      const refused = trialResultSchema.parse(
        await (await job('checks-graph', { graph: broken as unknown as Record<string, unknown> })).waitUntilFinished(events),
      );
      const ev = decodeEvaluation(refused.evaluation) as { status?: string; error?: string };
      expect(ev.status).toBe('failed');
      expect(ev.error).toMatch(/refused trial 0: its graph fails validation/);
      expect(ev.error).toContain(dense.id);

      // 3. A dataset file this worker lacks: named, with the worker.
      const noFile = { ...config, evaluator: { spec: 'train', train: { epochs: 1, dataset: 'csv:no-such-folder/data.csv', target: 'y' } } };
      const lacking = trialResultSchema.parse(
        await (await job('checks-data', { config: noFile as unknown as Record<string, unknown> })).waitUntilFinished(events),
      );
      const ev3 = decodeEvaluation(lacking.evaluation) as { error?: string };
      expect(ev3.error).toMatch(
        new RegExp(
          `^worker (w1|w2): dataset file ${path.resolve('no-such-folder/data.csv').replace(/[/.]/g, '\\$&')} \\(of "csv:no-such-folder/data.csv"\\) does not exist on this worker`,
        ),
      );
      expect(lacking.worker).toMatch(/^w[12]$/);
    } finally {
      await events.close();
      await queue.close();
    }
  }, 60_000);
});
