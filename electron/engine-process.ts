/**
 * How the engine process is launched: one small interface, two strategies.
 * - `nodeLauncher`: system Node on `bin/layerloom.js` (development). The native modules
 *   (better-sqlite3, onnxruntime-node) in a checkout are built for system Node's ABI, not
 *   Electron's, so the engine cannot run inside Electron there.
 * - `utilityLauncher`: Electron's utilityProcess on the compiled engine (packaged app), whose
 *   native modules electron-builder rebuilt for Electron; no separate Node is shipped.
 */
import { spawn } from 'node:child_process';

/**
 * V8 stack of the engine process (kB): tf.js builds models recursively, and Node's default
 * stack holds chains of about 4,000 layers, this one about 10,000. Same value as the engine's
 * engine/util/deep-stack.ts (electron/ never links engine code).
 */
export const ENGINE_STACK_FLAG = '--stack-size=4000';

/** How a process ended: an exit code, a signal, or a launch error (e.g. `node` not found). */
export interface EngineExit {
  code: number | null;
  signal: string | null;
  error?: string;
}

/** A running engine process, whatever launched it. */
export interface EngineProcess {
  /** The process id, once it has one (for logs and tests). */
  readonly pid: number | undefined;
  readonly stdout: NodeJS.ReadableStream | null;
  readonly stderr: NodeJS.ReadableStream | null;
  /** Resolves once when the process has ended (after its output closed); never rejects. */
  readonly exited: Promise<EngineExit>;
  /** SIGTERM asks the engine to shut down; SIGKILL ends it. Harmless after exit. */
  kill(signal: 'SIGTERM' | 'SIGKILL'): void;
}

/** What every launch gets: the `serve` arguments and the full environment. */
export interface LaunchSpec {
  args: readonly string[];
  env: Record<string, string | undefined>;
}

/** Starts one engine process. */
export type EngineLauncher = (spec: LaunchSpec) => EngineProcess;

/** The process handle both launchers return: `child`'s pid and output, plus how it ends. */
function engineProcess(
  child: { readonly pid?: number | undefined; readonly stdout: NodeJS.ReadableStream | null; readonly stderr: NodeJS.ReadableStream | null },
  exited: Promise<EngineExit>,
  kill: EngineProcess['kill'],
): EngineProcess {
  return {
    get pid() {
      return child.pid;
    },
    stdout: child.stdout,
    stderr: child.stderr,
    exited,
    kill,
  };
}

/** Launches `nodePath script ...args` as a child process. */
export function nodeLauncher(options: { nodePath: string; script: string; cwd?: string }): EngineLauncher {
  return ({ args, env }) => {
    const child = spawn(options.nodePath, [ENGINE_STACK_FLAG, options.script, ...args], {
      cwd: options.cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    const exited = new Promise<EngineExit>((resolve) => {
      // 'close' (not 'exit') so the last output lines are read before the exit is reported;
      // a spawn failure emits 'error' and may never emit 'close'.
      child.once('close', (code, signal) => resolve({ code, signal }));
      child.once('error', (e) => resolve({ code: null, signal: null, error: e.message }));
    });
    return engineProcess(child, exited, (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    });
  };
}

/** The part of an Electron UtilityProcess used here. */
export interface UtilityProcessLike {
  readonly pid: number | undefined;
  readonly stdout: NodeJS.ReadableStream | null;
  readonly stderr: NodeJS.ReadableStream | null;
  kill(): boolean;
  once(event: 'exit', listener: (code: number) => void): unknown;
}

/** Electron's `utilityProcess.fork`, narrowed to the options used here. */
export type UtilityFork = (
  modulePath: string,
  args: string[],
  options: { env: Record<string, string | undefined>; stdio: 'pipe'; serviceName: string; execArgv: string[] },
) => UtilityProcessLike;

/**
 * Launches `modulePath` in an Electron utility process. `kill()` there only sends SIGTERM, so
 * SIGKILL goes to the pid through `killPid` (process.kill by default).
 */
export function utilityLauncher(
  fork: UtilityFork,
  modulePath: string,
  killPid: (pid: number, signal: 'SIGKILL') => void = (pid, signal) => process.kill(pid, signal),
): EngineLauncher {
  return ({ args, env }) => {
    const child = fork(modulePath, [...args], { env, stdio: 'pipe', serviceName: 'Layerloom engine', execArgv: [ENGINE_STACK_FLAG] });
    let done = false;
    const exited = new Promise<EngineExit>((resolve) => {
      child.once('exit', (code) => {
        done = true;
        resolve({ code, signal: null });
      });
    });
    return engineProcess(child, exited, (signal) => {
      if (done) return;
      if (signal === 'SIGTERM') {
        child.kill();
        return;
      }
      if (child.pid === undefined) return;
      try {
        killPid(child.pid, signal);
      } catch {
        // Already gone (ESRCH) between the check and the kill: nothing left to end.
      }
    });
  };
}
