/**
 * Keeps one engine process alive for the app: starts it with a fresh token, waits for its
 * ready line, restarts it when it dies unexpectedly (with backoff, giving up per
 * RestartPolicy), and stops it (SIGTERM, then SIGKILL after a grace period). Knows nothing of
 * Electron: the launch strategy and the notifications are passed in.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { newGrantKey, writeGrant } from './grants.js';
import type { EngineAddress } from './host-api.js';
import type { EngineExit, EngineLauncher, EngineProcess } from './engine-process.js';
import { eachLine, LineTail, parseReadyLine } from './engine-ready.js';
import { RestartPolicy } from './restart-policy.js';

/** Settings and hooks of an EngineHost. */
export interface EngineHostOptions {
  launcher: EngineLauncher;
  /** Arguments of every launch, e.g. `serve --port 0 --json --allow-origin app://layerloom`. */
  args: readonly string[];
  /** Base environment of every launch (default: this process's); LAYERLOOM_TOKEN and LAYERLOOM_GRANT_KEY are added. */
  env?: Record<string, string | undefined>;
  readyTimeoutMs?: number;
  stopGraceMs?: number;
  policy?: RestartPolicy;
  createToken?: () => string;
  /** Key of the grants main signs for dialog-picked paths (default: a random one per host). */
  grantKey?: string;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Every output line of the engine that is not its ready line. */
  onLog?: (line: string) => void;
  /** The engine died and is running again at `engine`; `reason` says why it was restarted. */
  onRestarted?: (engine: EngineAddress, reason: string) => void;
  /** The engine died and will not be restarted; `output` holds its last lines. */
  onGaveUp?: (message: string, output: string) => void;
}

/** Where an engine host stands. */
export type EngineState = 'idle' | 'starting' | 'running' | 'restarting' | 'stopped' | 'failed';

/** The engine did not start (or restart); `output` holds its last output lines. */
export class EngineStartError extends Error {
  override name = 'EngineStartError';

  constructor(
    message: string,
    readonly output: string,
  ) {
    super(message);
  }
}

/** One line for how a process ended, e.g. "engine exited with code 1". */
export function describeExit(exit: EngineExit): string {
  if (exit.error !== undefined) return `engine could not be launched (${exit.error})`;
  if (exit.signal !== null) return `engine was killed by ${exit.signal}`;
  return `engine exited with code ${exit.code ?? 'unknown'}`;
}

/** A start error as dialog text: the message, then the engine's last output lines. */
export function describeStartError(error: unknown, lines = 12): string {
  const message = error instanceof Error ? error.message : String(error);
  const output = error instanceof EngineStartError ? error.output.split('\n').slice(-lines).join('\n') : '';
  return output === '' ? message : `${message}\n\nLast engine output:\n${output}`;
}

/** Asks `proc` to end (SIGTERM) and ends it (SIGKILL) if it is still running after `graceMs`. */
export async function terminate(proc: EngineProcess, graceMs: number): Promise<EngineExit> {
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
  try {
    return await proc.exited;
  } finally {
    clearTimeout(timer);
  }
}

// A stored promise may be awaited by nobody (e.g. a restart that gives up while no renderer
// asks for the address); the no-op handler keeps that from being an unhandled rejection.
function quiet<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/** Starts, watches, restarts and stops the engine process. */
export class EngineHost {
  private readonly policy: RestartPolicy;
  private proc: EngineProcess | null = null;
  private address: Promise<EngineAddress> | null = null;
  private tail = new LineTail();
  private engineState: EngineState = 'idle';
  // Bumped by start() and stop(): a restart loop or launch from an older generation must not
  // touch the state or start a second engine after the user stopped or restarted this one.
  private generation = 0;
  // Terminations under way, so a second stop() (window closed, then app quitting) still
  // waits for the process the first one is ending.
  private stopping: Promise<unknown> = Promise.resolve();

  /** Signs paths picked in native dialogs for the engine (see grants.ts); one key per host, every launch gets it. */
  private readonly grantKey: string;

  constructor(private readonly options: EngineHostOptions) {
    this.policy = options.policy ?? new RestartPolicy();
    this.grantKey = options.grantKey ?? newGrantKey();
  }

  /** The grant the engine accepts for writing `file` (a path the user picked in a save dialog). */
  writeGrant(file: string): string {
    return writeGrant(this.grantKey, file);
  }

  /** Where the host stands. */
  get state(): EngineState {
    return this.engineState;
  }

  /** Starts the engine unless it is running or starting; resolves with its address. */
  start(): Promise<EngineAddress> {
    const live = this.engineState === 'starting' || this.engineState === 'running' || this.engineState === 'restarting';
    if (live && this.address !== null) return this.address;
    const gen = ++this.generation;
    this.policy.reset();
    this.engineState = 'starting';
    this.address = quiet(
      this.launch(gen).then(
        (address) => {
          if (gen === this.generation) this.engineState = 'running';
          return address;
        },
        (e: unknown) => {
          if (gen === this.generation) this.engineState = 'failed';
          throw e;
        },
      ),
    );
    return this.address;
  }

  /** The current address; waits while the engine is starting or restarting. */
  current(): Promise<EngineAddress> {
    return this.address ?? Promise.reject(new EngineStartError('the engine has not been started', ''));
  }

  /** Stops the engine (no restart follows); resolves once the process has ended. */
  async stop(): Promise<void> {
    this.generation++;
    const proc = this.proc;
    this.proc = null;
    this.engineState = 'stopped';
    if (proc !== null) this.stopping = Promise.all([this.stopping, terminate(proc, this.options.stopGraceMs ?? 3_000)]);
    await this.stopping;
  }

  private async launch(gen: number): Promise<EngineAddress> {
    const token = (this.options.createToken ?? (() => randomBytes(32).toString('base64url')))();
    const proc = this.options.launcher({
      args: this.options.args,
      env: { ...(this.options.env ?? process.env), LAYERLOOM_TOKEN: token, LAYERLOOM_GRANT_KEY: this.grantKey },
    });
    this.proc = proc;
    const tail = new LineTail();
    this.tail = tail;
    const timeoutMs = this.options.readyTimeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    const ready = new Promise<EngineAddress>((resolve, reject) => {
      let seen = false;
      const log = (line: string) => {
        tail.push(line);
        this.options.onLog?.(line);
      };
      eachLine(proc.stdout, (line) => {
        const parsed = seen ? null : parseReadyLine(line);
        if (parsed === null) return log(line);
        seen = true;
        if (parsed.token !== token) reject(new EngineStartError('engine reported a token other than the one it was given', tail.text()));
        else resolve({ port: parsed.port, token });
      });
      eachLine(proc.stderr, log);
      void proc.exited.then((exit) => reject(new EngineStartError(`${describeExit(exit)} before it was ready`, tail.text())));
      timer = setTimeout(() => reject(new EngineStartError(`engine did not report ready within ${timeoutMs / 1000} s`, tail.text())), timeoutMs);
    });
    let address: EngineAddress;
    try {
      address = await ready;
    } catch (e) {
      if (this.proc === proc) this.proc = null;
      await terminate(proc, this.options.stopGraceMs ?? 3_000);
      if (gen !== this.generation) throw new EngineStartError('engine was stopped before it was ready', tail.text());
      throw e;
    } finally {
      clearTimeout(timer);
    }
    this.policy.recordReady();
    void proc.exited.then((exit) => this.onExit(proc, exit, gen));
    return address;
  }

  private onExit(proc: EngineProcess, exit: EngineExit, gen: number): void {
    if (this.proc !== proc || gen !== this.generation) return;
    this.proc = null;
    this.engineState = 'restarting';
    this.address = quiet(this.restart(describeExit(exit), gen));
  }

  private async restart(firstReason: string, gen: number): Promise<EngineAddress> {
    let reason = firstReason;
    let launchFailed = false;
    for (;;) {
      const decision = this.policy.recordCrash((this.options.now ?? Date.now)(), launchFailed);
      if (decision.action === 'giveUp') {
        const message = `${reason}; gave up restarting after ${decision.reason}`;
        this.engineState = 'failed';
        this.options.onGaveUp?.(message, this.tail.text());
        throw new EngineStartError(message, this.tail.text());
      }
      await (this.options.sleep ?? delay)(decision.delayMs);
      if (gen !== this.generation) throw new EngineStartError('engine was stopped', '');
      try {
        const address = await this.launch(gen);
        this.engineState = 'running';
        this.options.onRestarted?.(address, `${reason}; restarted`);
        return address;
      } catch (e) {
        if (gen !== this.generation) throw e;
        reason = e instanceof Error ? e.message : String(e);
        launchFailed = true;
      }
    }
  }
}
