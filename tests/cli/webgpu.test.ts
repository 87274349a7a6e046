// `layerloom train --backend webgpu` through the real CLI: with a WebGPU adapter it trains on
// the GPU provider (the backend line names it and the nodes that fell back to the CPU) and
// reaches the CPU trainer's accuracy; with no adapter it fails with one line naming what is
// missing, never a crash.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { probeWebGpu } from '../../engine/train/onnx-step/webgpu-probe.js';
import { needs } from '../tools.js';
import { bin, jsonLines, root } from './run-cli.js';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'layerloom-webgpu-cli-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function train(backend: string, env: NodeJS.ProcessEnv = {}) {
  const args = [bin, 'train', 'examples/mlp-digits.loom.json', '--backend', backend, '--epochs', '8', '--json', '--data-dir', dataDir];
  return spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', env: { ...process.env, XDG_RUNTIME_DIR: os.tmpdir(), ...env } });
}

const avail = probeWebGpu();

describe('layerloom train --backend webgpu', () => {
  it('fails with the missing adapter named when Vulkan has no usable driver', () => {
    const r = train('webgpu', { VK_ICD_FILENAMES: '/nonexistent/none_icd.json', VK_DRIVER_FILES: '/nonexistent/none_icd.json' });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n').pop()).toMatch(
      /^error: examples\/mlp-digits.loom.json: --backend webgpu: (WebGPU unavailable: no Vulkan driver exposes a usable GPU|no Vulkan loader)/,
    );
  });

  it(`trains on the WebGPU provider${avail.ok ? '' : ` (no adapter: ${avail.reason})`}`, { ...needs('webgpu'), timeout: 300_000 }, () => {
    const r = train('webgpu');
    expect(r.status, r.stderr).toBe(0);
    const events = jsonLines(r.stdout);
    const backend = events.find((e) => e.event === 'backend') ?? events.find((e) => e.event === 'start');
    expect(JSON.stringify(backend)).toMatch(/webgpu \(compiled ONNX training step on the WebGPU provider\): \d+ nodes on the GPU/);
    const done = events.find((e) => e.event === 'done') as { metrics?: Record<string, number>; best?: Record<string, number> } | undefined;
    expect(JSON.stringify(done)).toMatch(/valAccuracy/);
    const acc = Number(/"valAccuracy":([0-9.]+)/.exec(JSON.stringify(done))![1]);
    expect(acc).toBeGreaterThanOrEqual(0.9);
  });
});
