// `layerloom search --evaluator supernet` through the real CLI: a weight-sharing search killed
// with SIGKILL during supernet training resumes from its last epoch checkpoint, prints the
// NB201 cell string and its CIFAR-10 table entry, and its found graph trains with
// `layerloom train` and exports with `layerloom export`; bad flag combinations are one line
// with exit code 2.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jsonLines, root, runCli, startCli } from './run-cli.js';

const TABLE = path.join(root, '../shared/data/nasbench201/nb201_cifar10.json');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loom-supernet-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const search = [
  'search',
  '--space',
  'nb201',
  '--evaluator',
  'supernet',
  '--data',
  'digits',
  '--channels',
  '4',
  '--limit',
  '192',
  '--json',
  '--data-dir',
  dataDir,
];

describe('layerloom search --evaluator supernet', () => {
  it('resumes a search killed mid-epoch from its checkpoint; the found graph trains and exports', async () => {
    let experimentId = '';
    let killed = false;
    const first = startCli(
      [...search, '--strategy', 'enas', '--supernet-epochs', '3', '--budget-trials', '3', '--seed', '5', '--nb201-table', TABLE],
      (line, child) => {
        const e = JSON.parse(line) as { event: string; experimentId?: string; epoch?: number };
        if (e.experimentId) experimentId = e.experimentId;
        // Epoch 1 is checkpointed before its event is printed: the kill lands in epoch 2.
        if (e.event === 'supernet-epoch' && e.epoch === 1 && !killed) {
          killed = true;
          child.kill('SIGKILL');
        }
      },
    );
    const k = await first.done;
    expect(k.signal).toBe('SIGKILL');
    expect(fs.existsSync(path.join(dataDir, 'experiments', experimentId, 'last.ckpt'))).toBe(true);

    const resumed = await runCli(['search', 'resume', experimentId, '--json', '--data-dir', dataDir, '--nb201-table', TABLE]);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    const events = jsonLines(resumed.stdout);
    expect(events.filter((e) => e.event === 'supernet-epoch').map((e) => e.epoch)).toEqual([2, 3]);
    const probs = events.filter((e) => e.event === 'probabilities') as {
      choices: Record<string, Record<string, number>>;
      targets: Record<string, { node: string; cellEdge: string }[]>;
    }[];
    expect(Object.keys(probs[0].choices)).toEqual(['0->1', '0->2', '1->2', '0->3', '1->3', '2->3']);
    expect(probs[0].targets['1->2']).toEqual([
      { node: 'cell1_1', cellEdge: '1->2' },
      { node: 'cell2_1', cellEdge: '1->2' },
    ]);
    expect(events.filter((e) => e.event === 'trial')).toHaveLength(3);
    const done = events.at(-1) as {
      event: string;
      status: string;
      best: { arch: string; graph: string; weights: string; nb201: { test: number; valid: number } };
    };
    expect(done).toMatchObject({ event: 'done', status: 'completed' });
    expect(done.best.arch).toMatch(/^\|[a-z_0-9]+~0\|\+\|[a-z_0-9]+~0\|[a-z_0-9]+~1\|\+(\|[a-z_0-9]+~\d){3}\|$/);
    // How good the found cell would have been on CIFAR-10 (NAS-Bench-201, 200 epochs).
    expect(done.best.nb201.test).toBeGreaterThan(10);
    expect(done.best.nb201.test).toBeLessThan(100);

    // The found architecture is an ordinary graph: it trains and exports.
    const trained = await runCli(['train', done.best.graph, '--epochs', '2', '--json', '--data-dir', dataDir]);
    expect(trained.code, trained.stderr).toBe(0);
    const runId = (jsonLines(trained.stdout).at(-1) as { runId: string }).runId;
    const onnx = path.join(dataDir, 'found.onnx');
    const exported = await runCli(['export', done.best.graph, '--run', runId, '-o', onnx, '--verify', '--data-dir', dataDir]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(fs.statSync(onnx).size).toBeGreaterThan(1000);
  });

  it('rejects bad flag combinations with one line and exit code 2', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['search', '--space', 'nb201', '--strategy', 'darts', '--evaluator', 'tabular:x'],
        /^error: --strategy darts trains a supernet: add --evaluator supernet\n$/,
      ],
      [
        ['search', '--evaluator', 'supernet', '--strategy', 'evolution', '--data', 'digits'],
        /^error: --evaluator supernet needs --strategy spos\|enas\|darts, got "evolution"\n$/,
      ],
      [
        ['search', '--evaluator', 'supernet', '--strategy', 'spos', '--remedy', 'darts-', '--data', 'digits'],
        /^error: --remedy darts-\|dropout\|none applies to --strategy darts and enas/,
      ],
      [
        ['search', '--evaluator', 'supernet', '--strategy', 'spos', '--supernet-epochs', '0', '--data', 'digits'],
        /^error: --supernet-epochs expects an integer ≥ 1, got "0"\n$/,
      ],
      [
        ['search', '--strategy', 'random', '--evaluator', 'tabular:x', '--supernet-epochs', '3'],
        /^error: --supernet-epochs applies to --evaluator supernet\n$/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = await runCli([...args, '--data-dir', dataDir]);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.code, args.join(' ')).toBe(2);
    }
  });
});
