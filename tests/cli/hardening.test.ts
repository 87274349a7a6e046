/**
 * Hostile or unlucky input on the command line: control characters in node ids and kinds are
 * escaped in what the terminal shows, and a `.loom.json` saved with a UTF-8 byte order mark loads.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { root, runCli } from './run-cli.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loom-harden-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const mlp = JSON.parse(fs.readFileSync(path.join(root, 'examples/mlp-digits.loom.json'), 'utf8')) as {
  nodes: { id: string; params: Record<string, unknown> }[];
  edges: { source: string; target: string }[];
};

/** mlp-digits with its hidden layer renamed (and changed). */
function renamed(id: string, params: Record<string, unknown> = {}): string {
  const doc = structuredClone(mlp);
  for (const n of doc.nodes) if (n.id === 'hidden') Object.assign(n, { id, params: { ...n.params, ...params } });
  for (const e of doc.edges) for (const end of ['source', 'target'] as const) if (e[end] === 'hidden') e[end] = id;
  return JSON.stringify(doc);
}

describe('CLI output of hostile text', () => {
  it('escapes NUL, escape sequences and U+202E of node ids and kinds in errors', async () => {
    const id = 'evil\u0000\u001b[2J\u202Egnp.exe';
    const bad = path.join(dir, 'bad.loom.json');
    fs.writeFileSync(bad, renamed(id));
    const r = await runCli(['validate', bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('node "evil\\u0000\\u001b[2J\\u202egnp.exe"');
    expect([...r.stderr].filter((ch) => ['\u0000', '\u001b', '\u202E'].includes(ch))).toEqual([]);
    const doc = JSON.parse(renamed('hidden')) as { nodes: { id: string; kind: string }[] };
    doc.nodes[1].kind = 'Dense\r\u001b[1Aok';
    fs.writeFileSync(bad, JSON.stringify(doc));
    const kind = await runCli(['validate', bad]);
    expect(kind.code).toBe(1);
    expect(kind.stderr).toContain('Dense\\u000d\\u001b[1Aok');
    expect(kind.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('loads a .loom.json that starts with a UTF-8 byte order mark', async () => {
    const file = path.join(dir, 'bom.loom.json');
    fs.writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(mlp))]));
    const r = await runCli(['validate', file]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/total: \d+ parameters/);
  });
});

describe('memory checked before it is spent', () => {
  it('validate and train refuse a Dense of 1e12 units naming the node, before any initializer runs', async () => {
    const file = path.join(dir, 'giant.loom.json');
    fs.writeFileSync(file, renamed('giant', { units: 1e12 }));
    const v = await runCli(['validate', file]);
    expect(v.code).toBe(1);
    expect(v.stderr.trim()).toMatch(/^error: .*giant\.loom\.json: node "giant": 6\.50e\+13 parameters, more than the largest array the runtime can allocate/);
    const t = await runCli(['train', file, '--data-dir', dir, '--epochs', '1']);
    expect(t.code).toBe(1);
    expect(t.stderr).toMatch(/node "giant": 6\.50e\+13 parameters/);
    expect(t.stderr).not.toMatch(/Invalid typed array length/);
  });

  it('validate prints the training memory of a graph that fits', async () => {
    const r = await runCli(['validate', path.join(root, 'examples/mlp-digits.loom.json')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^memory: about [\d.]+ [kM]B to train at batch 32 \(weights .*, gradients .*, optimizer state .*, activations .*\)$/m);
  });
});
