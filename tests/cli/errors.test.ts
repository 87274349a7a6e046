// Bad input ends with one line on stderr naming what was wrong, and a non-zero exit code.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jsonLines, root, runCli } from './run-cli.js';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loom-clierr-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));
const ex = (n: string) => path.join(root, 'examples', n);
const bad = (n: string) => path.join(root, 'tests/fixtures/invalid', n);

function oneLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0];
}

describe('layerloom CLI errors', () => {
  it('names the node for an invalid graph file', async () => {
    const r = await runCli(['train', bad('unknown-kind.loom.json'), '--data-dir', dataDir]);
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toBe(`error: ${bad('unknown-kind.loom.json')}: node "hidden": unknown kind "Dens"; did you mean "Dense"?`);
  });

  it('names the line of a JSON syntax error', async () => {
    const r = await runCli(['validate', bad('not-json.loom.json')]);
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toMatch(/not valid JSON at line 21, column 7/);
  });

  it('rejects a missing file, an unknown dataset, a bad flag value and an unknown command', async () => {
    const missing = await runCli(['train', '/nope/x.loom.json', '--data-dir', dataDir]);
    expect(missing.code).toBe(1);
    expect(oneLine(missing.stderr)).toMatch(/cannot read \/nope\/x\.loom\.json: ENOENT/);

    const data = await runCli(['train', ex('mlp-digits.loom.json'), '--data', 'cifar', '--data-dir', dataDir]);
    expect(data.code).toBe(1);
    expect(oneLine(data.stderr)).toMatch(/cifar/);

    const epochs = await runCli(['train', ex('mlp-digits.loom.json'), '--epochs', 'ten']);
    expect(epochs.code).toBe(2);
    expect(oneLine(epochs.stderr)).toBe('error: --epochs expects an integer ≥ 1, got "ten"');

    const cmd = await runCli(['fly']);
    expect(cmd.code).toBe(2);
    expect(oneLine(cmd.stderr)).toMatch(/unknown command "fly"/);
  });

  it('explains a dataset that does not fit the graph', async () => {
    const r = await runCli(['train', ex('mlp-digits.loom.json'), '--data', 'spirals', '--data-dir', dataDir]);
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toMatch(/node "pixels": Input expects samples of shape \[64\] but dataset "spirals" has \[2\]/);
  });

  it('validate prints per-node shapes and totals as JSON', async () => {
    const r = await runCli(['validate', ex('lenet-mnist.loom.json'), '--json']);
    expect(r.code).toBe(0);
    const [out] = jsonLines(r.stdout) as [{ nodes: { id: string; shape: unknown }[]; params: number }];
    expect(out.nodes.find((n) => n.id === 'flatten')!.shape).toEqual([null, 1600]);
    expect(out.params).toBe(320 + 18496 + 1600 * 128 + 128 + 1290);
  });
});
