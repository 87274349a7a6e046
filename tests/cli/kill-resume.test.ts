// A run killed (SIGKILL) mid-epoch is marked interrupted and resumes from its last
// checkpoint to the end, through the real CLI.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jsonLines, root, runCli, startCli } from './run-cli.js';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loom-resume-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('kill and resume', () => {
  it('resumes a killed run from its checkpoint and finishes', async () => {
    const example = path.join(root, 'examples/mlp-digits.loom.json');
    let runId = '';
    let killedInEpoch = 0;
    const first = startCli(['train', example, '--epochs', '6', '--batch', '8', '--json', '--data-dir', dataDir, '--backend', 'wasm'], (line, child) => {
      const e = JSON.parse(line) as { event: string; epoch?: number; runId?: string };
      if (e.runId) runId = e.runId;
      // Kill in the middle of epoch 3, after epochs 1-2 were checkpointed.
      if (e.event === 'batch' && e.epoch === 3 && !killedInEpoch) {
        killedInEpoch = 3;
        child.kill('SIGKILL');
      }
    });
    const killed = await first.done;
    expect(killed.signal).toBe('SIGKILL');
    expect(killedInEpoch).toBe(3);
    expect(runId).toMatch(/^r\d{14}-[0-9a-f]{6}$/);

    const listed = await runCli(['runs', '--json', '--data-dir', dataDir]);
    const runs = JSON.parse(listed.stdout) as { id: string; status: string; epochsDone: number }[];
    expect(runs.find((r) => r.id === runId)).toMatchObject({ status: 'interrupted', epochsDone: 2 });

    const resumed = await runCli(['train', '--resume', runId, '--json', '--data-dir', dataDir, '--backend', 'wasm']);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    const events = jsonLines(resumed.stdout);
    const start = events.find((e) => e.event === 'start')!;
    expect(start.startEpoch).toBe(3);
    const epochs = events.filter((e) => e.event === 'epoch').map((e) => e.epoch);
    expect(epochs).toEqual([3, 4, 5, 6]);
    const done = events.at(-1)!;
    expect(done).toMatchObject({ event: 'done', status: 'completed', runId });
    expect((done.metrics as { valAccuracy: number }).valAccuracy).toBeGreaterThan(0.85);

    const after = JSON.parse((await runCli(['runs', '--json', '--data-dir', dataDir])).stdout) as { id: string; status: string; epochsDone: number }[];
    expect(after.find((r) => r.id === runId)).toMatchObject({ status: 'completed', epochsDone: 6 });
  });
});
