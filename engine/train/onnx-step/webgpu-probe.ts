/**
 * Whether onnxruntime-node's built-in WebGPU execution provider can run here, and where the
 * nodes of a model land when it does.
 *
 * onnxruntime-node 1.30 carries WebGPU (Dawn) inside libonnxruntime for linux-x64, win32 and
 * darwin-arm64; on Linux Dawn loads the Vulkan loader (`libvulkan.so.1`) and a driver's ICD at
 * run time. Three failures are told apart for the user: no WebGPU build for this platform, no
 * Vulkan loader, and a loader without a usable adapter. A software Vulkan driver (Mesa's
 * lavapipe, SwiftShader) is a real adapter, so `--backend webgpu` runs on it (tests use it),
 * but `auto` does not pick it: it is slower than the CPU provider.
 *
 * Placement: onnxruntime reports which provider runs each node only in its verbose log, which
 * the native code writes to the process's stderr. So the report comes from a short child
 * process that opens the model with verbose logging and exits; its stderr is parsed here.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

/** Result of {@link probeWebGpu}. */
export type WebGpuAvailability = { ok: true; software: boolean; detail: string } | { ok: false; reason: string };

/** Platforms whose onnxruntime-node binary has the WebGPU provider built in. */
const WEBGPU_PLATFORMS = new Set(['linux-x64', 'win32-x64', 'win32-arm64', 'darwin-arm64']);

/** The tiny model the probe opens (Y = Relu(X), opset 17), as ONNX bytes. */
const PROBE_MODEL = Buffer.from('CAg6OwoMCgFYEgFZIgRSZWx1EgFnWhMKAVgSDgoMCAESCAoCCAIKAggDYhMKAVkSDgoMCAESCAoCCAIKAggDQgQKABAR', 'base64');

/** Directories that hold Vulkan ICD manifests on Linux (the loader's search path). */
function icdManifests(): string[] {
  const fromEnv = process.env.VK_ICD_FILENAMES ?? process.env.VK_DRIVER_FILES;
  if (fromEnv) return fromEnv.split(':').filter(Boolean);
  const dirs = ['/usr/share/vulkan/icd.d', '/etc/vulkan/icd.d', '/usr/local/share/vulkan/icd.d'];
  return dirs.flatMap((d) =>
    fs.existsSync(d)
      ? fs
          .readdirSync(d)
          .filter((f) => f.endsWith('.json'))
          .map((f) => path.join(d, f))
      : [],
  );
}

/** GPU device nodes a hardware Vulkan driver would open (Mesa/DRM, NVIDIA, WSL). */
function gpuDeviceNodes(): string[] {
  const dri = fs.existsSync('/dev/dri')
    ? fs
        .readdirSync('/dev/dri')
        .filter((f) => f.startsWith('renderD'))
        .map((f) => `/dev/dri/${f}`)
    : [];
  return [...dri, ...['/dev/nvidia0', '/dev/dxg'].filter((f) => fs.existsSync(f))];
}

/**
 * True when only a CPU (software) Vulkan driver can answer: every installed driver is one
 * (lavapipe, SwiftShader), or there is no GPU device node for a hardware driver to open
 * (Mesa's package installs radeon/intel/nouveau manifests on machines without those GPUs).
 */
export function softwareVulkanOnly(manifests = icdManifests(), devices = gpuDeviceNodes()): boolean {
  if (manifests.length > 0 && manifests.every((m) => /lvp|lavapipe|swiftshader|llvmpipe/i.test(path.basename(m)))) return true;
  return devices.length === 0;
}

/** Whether `libvulkan.so.1` can be found by the dynamic loader (Linux). */
function hasVulkanLoader(): boolean {
  const ld = spawnSync('ldconfig', ['-p'], { encoding: 'utf8' });
  if (ld.status === 0 && /libvulkan\.so\.1\b/.test(ld.stdout)) return true;
  const dirs = ['/usr/lib/x86_64-linux-gnu', '/usr/lib64', '/usr/lib', ...(process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean)];
  return dirs.some((d) => fs.existsSync(path.join(d, 'libvulkan.so.1')));
}

/** Path of the onnxruntime-node package entry, for the child process. */
function ortEntry(): string {
  return createRequire(import.meta.url).resolve('onnxruntime-node');
}

/** Options for the child that opens a model on WebGPU. */
function childEnv(): NodeJS.ProcessEnv {
  // Dawn's Vulkan backend warns (and on some drivers fails) without a runtime dir.
  return { ...process.env, XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR || os.tmpdir() };
}

const CHILD = `
const ort = require(process.argv[1]);
const fs = require('node:fs');
ort.InferenceSession.create(fs.readFileSync(process.argv[2]), { executionProviders: ['webgpu'], logSeverityLevel: Number(process.argv[3]) })
  .then((s) => s.release()).then(() => process.exit(0), (e) => { process.stderr.write('LAYERLOOM-FAIL ' + String(e && e.message || e).split('\\n')[0] + '\\n'); process.exit(3); });
`;

/** Opens `modelFile` on WebGPU in a child process; its exit status and stderr. */
function openInChild(modelFile: string, logLevel: number, timeoutMs: number): { ok: boolean; stderr: string } {
  const r = spawnSync(process.execPath, ['-e', CHILD, ortEntry(), modelFile, String(logLevel)], {
    encoding: 'utf8',
    env: childEnv(),
    timeout: timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { ok: r.status === 0, stderr: r.stderr ?? '' };
}

let cached: WebGpuAvailability | undefined;

/**
 * Whether a WebGPU adapter is usable here (cached for the process). Never throws: every
 * failure comes back as a one-line reason naming what is missing.
 */
export function probeWebGpu(): WebGpuAvailability {
  if (cached) return cached;
  const platform = `${process.platform}-${process.arch}`;
  if (!WEBGPU_PLATFORMS.has(platform)) {
    return (cached = {
      ok: false,
      reason: `onnxruntime-node has no WebGPU provider for ${platform} (it has one for linux-x64, win32-x64/arm64 and darwin-arm64)`,
    });
  }
  if (process.platform === 'linux' && !hasVulkanLoader()) {
    return (cached = {
      ok: false,
      reason: "no Vulkan loader: libvulkan.so.1 not found (Debian/Ubuntu: apt-get install libvulkan1, plus your GPU vendor's Vulkan driver)",
    });
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'layerloom-webgpu-'));
  try {
    const file = path.join(dir, 'probe.onnx');
    fs.writeFileSync(file, PROBE_MODEL);
    const r = openInChild(file, 3, 60_000);
    if (!r.ok) {
      const why = /LAYERLOOM-FAIL (.*)/.exec(r.stderr)?.[1] ?? r.stderr.trim().split('\n').pop() ?? 'the probe process died';
      const hint = /adapter/i.test(why) ? ": no Vulkan driver exposes a usable GPU (install the GPU vendor's Vulkan driver)" : '';
      return (cached = { ok: false, reason: `WebGPU unavailable${hint} (${why.replace(/^.*\/onnxruntime_src\/\S+\s*/, '')})` });
    }
    const software = process.platform === 'linux' && softwareVulkanOnly();
    return (cached = { ok: true, software, detail: software ? 'WebGPU on a software Vulkan driver (CPU)' : 'WebGPU adapter found' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Where onnxruntime put a model's nodes on WebGPU. */
export interface PlacementReport {
  /** Nodes placed on the WebGPU provider. */
  gpu: number;
  /** Nodes that run on the CPU provider, as `OpType (node name)`. */
  cpu: string[];
  /** CPU op types that are shape arithmetic onnxruntime keeps on the CPU on purpose. */
  shapeOps: string[];
  /** CPU op types that do tensor work (a real fallback). */
  fallbacks: string[];
}

/** Ops onnxruntime places on the CPU by design (small shape/index arithmetic). */
const SHAPE_OPS = new Set(['Shape', 'Size', 'Gather', 'Unsqueeze', 'Squeeze', 'Reshape', 'ConstantOfShape', 'Equal', 'Cast', 'Concat', 'Slice', 'Range']);

/** Parses onnxruntime's verbose "Node placements" block. */
export function parsePlacements(log: string): PlacementReport {
  let provider = '';
  let gpu = 0;
  const cpu: string[] = [];
  for (const line of log.split('\n')) {
    const head = /Node\(s\) placed on \[(\w+)\]/.exec(line) ?? /All nodes placed on \[(\w+)\]\. Number of nodes: (\d+)/.exec(line);
    if (head) {
      provider = head[1];
      if (head[2] && provider.startsWith('WebGpu')) gpu += Number(head[2]);
      continue;
    }
    const node = /VerifyEachNodeIsAssignedToAnEp\]\s{3}(\S+) \((.*)\)\s*$/.exec(line);
    if (!node) continue;
    if (provider.startsWith('WebGpu')) gpu++;
    else if (provider.startsWith('CPU') && !node[1].startsWith('Memcpy')) cpu.push(`${node[1]} (${node[2]})`);
  }
  const types = [...new Set(cpu.map((c) => c.split(' ')[0]))].sort();
  return { gpu, cpu, shapeOps: types.filter((t) => SHAPE_OPS.has(t)), fallbacks: types.filter((t) => !SHAPE_OPS.has(t)) };
}

/** Opens `model` on WebGPU in a child process and reports where its nodes run. */
export function placementReport(model: Uint8Array): PlacementReport {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'layerloom-webgpu-'));
  try {
    const file = path.join(dir, 'step.onnx');
    fs.writeFileSync(file, model);
    const r = openInChild(file, 0, 300_000);
    if (!r.ok) throw new Error(`WebGPU cannot open the training step: ${/LAYERLOOM-FAIL (.*)/.exec(r.stderr)?.[1] ?? 'the probe process died'}`);
    return parsePlacements(r.stderr);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
