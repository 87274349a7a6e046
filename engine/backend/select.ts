/**
 * Picks the tf.js backend for training and inference.
 *
 * Order for 'auto': native TensorFlow (`@tensorflow/tfjs-node-gpu`, then
 * `@tensorflow/tfjs-node`; optional dependencies that fail to install offline), then wasm
 * with our training kernels, then the pure-JS cpu backend. Every skipped candidate adds
 * to the one-line reason, so a user can see why training is not on native TensorFlow.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { registerWasmTrainingKernels } from './wasm-kernels/index.js';

/** A backend preference. 'tensorflow' means native tfjs-node(-gpu) or an error. */
export type BackendPref = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

/** The chosen backend. */
export interface BackendInfo {
  /** The tf.js namespace; tfjs-node registers its backend into this same engine. */
  tf: typeof tf;
  /** tf.js backend name: 'tensorflow', 'wasm' or 'cpu'. */
  name: string;
  /** One human line: what was chosen and why the better options were not. */
  reason: string;
}

const NATIVE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

/** Outcome of trying to load one native package (cached: a failed import stays failed). */
type NativeResult = { ok: true; pkg: string } | { ok: false; pkg: string; why: string };

const nativeTried = new Map<string, Promise<NativeResult>>();
let wasmPrepared: Promise<void> | null = null;

/** First line of an error, for the reason string. */
function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0].slice(0, 160);
}

/** Imports a native package once and checks that its backend landed in our engine. */
function tryNative(pkg: string): Promise<NativeResult> {
  let p = nativeTried.get(pkg);
  if (p == null) {
    p = (async (): Promise<NativeResult> => {
      try {
        // A variable specifier: these packages are optional and have no types here.
        const spec: string = pkg;
        await import(spec);
      } catch (e) {
        const code = (e as { code?: string }).code;
        const missing = (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && firstLine(e).includes(pkg);
        return { ok: false, pkg, why: missing ? `${pkg} not installed` : `${pkg} failed to load (${firstLine(e)})` };
      }
      if (tf.findBackend('tensorflow') == null) {
        return { ok: false, pkg, why: `${pkg} loaded but registered no 'tensorflow' backend in this tf.js` };
      }
      return { ok: true, pkg };
    })();
    nativeTried.set(pkg, p);
  }
  return p;
}

/**
 * Imports the wasm backend, points it at its .wasm files and registers our kernels.
 * Importing it makes wasm the top-priority backend, so callers always `setBackend`
 * explicitly before any tensor op.
 */
function prepareWasm(): Promise<void> {
  if (wasmPrepared == null) {
    wasmPrepared = (async () => {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      if (typeof process !== 'undefined' && process.versions?.node != null) {
        const require = createRequire(import.meta.url);
        const dist = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
        // setWasmPaths throws once the backend is initialised (e.g. by someone else).
        try {
          wasm.setWasmPaths(dist + path.sep);
        } catch {
          /* already initialised: its paths were set then */
        }
      }
      registerWasmTrainingKernels(tf);
    })();
    // A failed import may be retried by a later call.
    wasmPrepared.catch(() => {
      wasmPrepared = null;
    });
  }
  return wasmPrepared;
}

/** Describes the wasm build in use, e.g. "SIMD, 1 thread". */
async function wasmFlavour(): Promise<string> {
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  let threads = 1;
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    threads = wasm.getThreadsCount();
  } catch {
    /* older builds: assume one thread */
  }
  return `${simd ? 'SIMD' : 'no SIMD'}, ${threads} thread${threads === 1 ? '' : 's'}`;
}

async function useNative(skipped: string[]): Promise<BackendInfo | null> {
  for (const pkg of NATIVE_PACKAGES) {
    const r = await tryNative(pkg);
    if (!r.ok) {
      skipped.push(r.why);
      continue;
    }
    try {
      if (await tf.setBackend('tensorflow')) {
        await tf.ready();
        return { tf, name: 'tensorflow', reason: `tensorflow (native, via ${pkg})` };
      }
      skipped.push(`${pkg}: backend 'tensorflow' failed to initialise`);
    } catch (e) {
      skipped.push(`${pkg}: ${firstLine(e)}`);
    }
  }
  return null;
}

async function useWasm(skipped: string[]): Promise<BackendInfo | null> {
  try {
    await prepareWasm();
    if (await tf.setBackend('wasm')) {
      await tf.ready();
      const why = skipped.length ? `: ${skipped.join('; ')}` : '';
      return { tf, name: 'wasm', reason: `wasm (${await wasmFlavour()})${why}` };
    }
    skipped.push('wasm failed to initialise');
  } catch (e) {
    skipped.push(`wasm unavailable (${firstLine(e)})`);
  }
  return null;
}

async function useCpu(skipped: string[], requested: boolean): Promise<BackendInfo> {
  if (!(await tf.setBackend('cpu'))) throw new Error("tf.js 'cpu' backend failed to initialise");
  await tf.ready();
  const why = requested ? 'requested; slow for convolutions' : `slow fallback: ${skipped.join('; ')}`;
  return { tf, name: 'cpu', reason: `cpu (${why})` };
}

/**
 * Selects and initialises a backend. Safe to call repeatedly (module loads and kernel
 * registration happen once; the backend is (re)selected each call).
 *
 * @param pref - 'auto' (best available), 'tensorflow' (native or throw), 'wasm' or 'cpu'.
 * @returns the tf namespace, the backend name and a one-line reason.
 * @throws Error when 'tensorflow' is requested but neither native package loads, or when
 *   'wasm' is requested and cannot start.
 */
export async function initBackend(pref: BackendPref = 'auto'): Promise<BackendInfo> {
  const skipped: string[] = [];
  switch (pref) {
    case 'tensorflow': {
      const r = await useNative(skipped);
      if (r) return r;
      throw new Error(
        `Native TensorFlow backend unavailable: ${skipped.join('; ')}. ` +
          "Install @tensorflow/tfjs-node (or -gpu; it downloads libtensorflow) or use backend 'auto'/'wasm'.",
      );
    }
    case 'wasm': {
      const r = await useWasm(skipped);
      if (r) return { ...r, reason: `${r.reason.split(':')[0]}: requested` };
      throw new Error(`wasm backend unavailable: ${skipped.join('; ')}`);
    }
    case 'cpu':
      return useCpu(skipped, true);
    case 'auto':
    default: {
      const r = (await useNative(skipped)) ?? (await useWasm(skipped));
      return r ?? useCpu(skipped, false);
    }
  }
}
