import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { describeExit, describeStartError, EngineHost, EngineStartError, type EngineHostOptions } from './engine-host.js';
import { nodeLauncher, type EngineLauncher, type EngineProcess } from './engine-process.js';
import { RestartPolicy } from './restart-policy.js';

const fakeEngine = path.join(import.meta.dirname, 'test-fixtures', 'fake-engine.mjs');
const hosts: EngineHost[] = [];

function host(args: string[], options: Partial<EngineHostOptions> = {}): EngineHost {
  const h = new EngineHost({
    launcher: nodeLauncher({ nodePath: process.execPath, script: fakeEngine }),
    args,
    readyTimeoutMs: 5_000,
    stopGraceMs: 500,
    policy: new RestartPolicy({ baseDelayMs: 10 }),
    ...options,
  });
  hosts.push(h);
  return h;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A node launcher that also records every process it starts. */
function capturing(): { launcher: EngineLauncher; procs: EngineProcess[] } {
  const inner = nodeLauncher({ nodePath: process.execPath, script: fakeEngine });
  const procs: EngineProcess[] = [];
  return {
    procs,
    launcher: (spec) => {
      const proc = inner(spec);
      procs.push(proc);
      return proc;
    },
  };
}

afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.stop()));
});

describe('EngineHost', () => {
  it('starts the engine with a fresh token and resolves with the address from its ready line', async () => {
    const logs: string[] = [];
    const h = host(['ready'], { onLog: (line) => logs.push(line) });
    const address = await h.start();
    expect(address.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(address.port).toBeGreaterThan(0);
    expect(h.state).toBe('running');
    expect(await h.current()).toEqual(address);
    expect(logs).toContain('fake engine: loading');
    // stderr is a separate pipe: its line may arrive after the ready line on stdout.
    await vi.waitFor(() => expect(logs).toContain('fake engine: a warning on stderr'));
  });

  it('reports an engine that exits before it is ready, with its last output', async () => {
    const h = host(['exit-before-ready']);
    const error = await h.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineStartError);
    expect((error as EngineStartError).message).toBe('engine exited with code 3 before it was ready');
    expect((error as EngineStartError).output).toContain('fatal: could not open the database');
    expect(h.state).toBe('failed');
  });

  it('times out an engine that never reports ready, and ends it', async () => {
    const h = host(['never-ready'], { readyTimeoutMs: 300 });
    await expect(h.start()).rejects.toThrow('engine did not report ready within 0.3 s');
  });

  it('refuses a ready line carrying another token', async () => {
    await expect(host(['wrong-token']).start()).rejects.toThrow('engine reported a token other than the one it was given');
  });

  it('reports a launcher that cannot start the process', async () => {
    const h = host([], { launcher: nodeLauncher({ nodePath: '/nonexistent/node', script: fakeEngine }) });
    await expect(h.start()).rejects.toThrow(/engine could not be launched \(spawn \/nonexistent\/node ENOENT\)/);
  });

  it('restarts a crashed engine with a new token and says why', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'loom-engine-')), 'launches');
    const restarts: { token: string; reason: string }[] = [];
    let resolveRestart: () => void = () => undefined;
    const restarted = new Promise<void>((r) => (resolveRestart = r));
    const h = host(['crash-first', '1', file], {
      onRestarted: (engine, reason) => {
        restarts.push({ token: engine.token, reason });
        resolveRestart();
      },
    });
    const first = await h.start();
    await restarted;
    expect(restarts.map((r) => r.reason)).toEqual(['engine exited with code 1; restarted']);
    expect(restarts[0].token).not.toBe(first.token);
    expect(h.state).toBe('running');
    expect((await h.current()).token).toBe(restarts[0].token);
  });

  it('gives up after three crashes within the window and says so', async () => {
    const gaveUp = new Promise<{ message: string; output: string }>((resolve) => {
      host(['crash-after-ready'], { onGaveUp: (message, output) => resolve({ message, output }) })
        .start()
        .catch(() => undefined);
    });
    const { message, output } = await gaveUp;
    expect(message).toBe('engine exited with code 1; gave up restarting after 3 crashes within 60 s');
    expect(output).toContain('fake engine: loading');
    const h = hosts[0];
    expect(h.state).toBe('failed');
    await expect(h.current()).rejects.toThrow(/gave up restarting/);
  });

  it('start() after giving up starts afresh', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'loom-engine-')), 'launches');
    let gaveUp: () => void = () => undefined;
    const done = new Promise<void>((r) => (gaveUp = r));
    const h = host(['crash-first', '3', file], { onGaveUp: () => gaveUp() });
    await h.start();
    await done;
    expect(h.state).toBe('failed');
    await h.start();
    expect(h.state).toBe('running');
  });

  it('stops the engine with SIGTERM and does not restart it', async () => {
    let restarted = false;
    const h = host(['ready'], { onRestarted: () => (restarted = true) });
    await h.start();
    await h.stop();
    await new Promise((r) => setTimeout(r, 100));
    expect(h.state).toBe('stopped');
    expect(restarted).toBe(false);
  });

  it('kills an engine that ignores SIGTERM once the grace period is over', async () => {
    const logs: string[] = [];
    const { launcher, procs } = capturing();
    const h = host(['ignore-sigterm'], { stopGraceMs: 200, launcher, onLog: (line) => logs.push(line) });
    await h.start();
    const started = Date.now();
    await h.stop();
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(await procs[0].exited).toMatchObject({ signal: 'SIGKILL' });
    expect(logs).toContain('fake engine: ignoring SIGTERM');
  });

  it('stop() while starting ends the launch', async () => {
    const h = host(['never-ready']);
    const starting = h.start();
    await new Promise((r) => setTimeout(r, 100));
    await h.stop();
    await expect(starting).rejects.toThrow('engine was stopped before it was ready');
    expect(h.state).toBe('stopped');
  });

  it('leaves no process behind after a timeout, a crash loop or a stop', async () => {
    const { launcher, procs } = capturing();
    await host(['never-ready'], { launcher, readyTimeoutMs: 200 })
      .start()
      .catch(() => undefined);
    const crashing = host(['crash-after-ready'], { launcher });
    await new Promise<void>((resolve) => {
      crashing.start().catch(() => undefined);
      const timer = setInterval(() => {
        if (crashing.state === 'failed') resolve(void clearInterval(timer));
      }, 20);
    });
    const h = host(['ready'], { launcher });
    await h.start();
    await h.stop();
    expect(procs.length).toBe(5);
    for (const proc of procs) {
      await proc.exited;
      expect(proc.pid).toBeGreaterThan(0);
      expect(isAlive(proc.pid as number)).toBe(false);
    }
  });
});

describe('messages', () => {
  it('say how the engine ended', () => {
    expect(describeExit({ code: 1, signal: null })).toBe('engine exited with code 1');
    expect(describeExit({ code: null, signal: 'SIGKILL' })).toBe('engine was killed by SIGKILL');
    expect(describeExit({ code: null, signal: null, error: 'spawn node ENOENT' })).toBe('engine could not be launched (spawn node ENOENT)');
  });

  it('put the last engine lines under a start error', () => {
    const output = Array.from({ length: 20 }, (_, i) => `line ${i}`).join('\n');
    const text = describeStartError(new EngineStartError('engine exited with code 3 before it was ready', output), 2);
    expect(text).toBe('engine exited with code 3 before it was ready\n\nLast engine output:\nline 18\nline 19');
    expect(describeStartError(new Error('plain'))).toBe('plain');
  });
});
