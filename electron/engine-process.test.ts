import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { utilityLauncher, type UtilityFork, type UtilityProcessLike } from './engine-process.js';

/** A stand-in for Electron's UtilityProcess. */
class FakeUtility extends EventEmitter implements UtilityProcessLike {
  pid: number | undefined = 4242;
  stdout = new PassThrough();
  stderr = new PassThrough();
  kill = vi.fn(() => true);
}

describe('utilityLauncher', () => {
  it('forks the module with the serve arguments, the environment and piped output', () => {
    const child = new FakeUtility();
    const fork = vi.fn<UtilityFork>(() => child);
    const proc = utilityLauncher(fork, '/app.asar/dist/electron/engine-entry.js')({ args: ['serve', '--json'], env: { LAYERLOOM_TOKEN: 't' } });
    expect(fork).toHaveBeenCalledWith('/app.asar/dist/electron/engine-entry.js', ['serve', '--json'], {
      env: { LAYERLOOM_TOKEN: 't' },
      stdio: 'pipe',
      serviceName: 'Layerloom engine',
      execArgv: ['--stack-size=4000'],
    });
    expect(proc.stdout).toBe(child.stdout);
    expect(proc.pid).toBe(4242);
  });

  it('SIGTERM uses kill(), SIGKILL goes to the pid; neither after exit', async () => {
    const child = new FakeUtility();
    const killPid = vi.fn();
    const proc = utilityLauncher(() => child, '/m.js', killPid)({ args: [], env: {} });
    proc.kill('SIGTERM');
    expect(child.kill).toHaveBeenCalledTimes(1);
    proc.kill('SIGKILL');
    expect(killPid).toHaveBeenCalledWith(4242, 'SIGKILL');
    child.emit('exit', 1);
    expect(await proc.exited).toEqual({ code: 1, signal: null });
    proc.kill('SIGTERM');
    proc.kill('SIGKILL');
    expect(child.kill).toHaveBeenCalledTimes(1);
    expect(killPid).toHaveBeenCalledTimes(1);
  });

  it('ignores a SIGKILL that finds the process already gone', () => {
    const child = new FakeUtility();
    const proc = utilityLauncher(
      () => child,
      '/m.js',
      () => {
        throw Object.assign(new Error('kill ESRCH'), { code: 'ESRCH' });
      },
    )({ args: [], env: {} });
    expect(() => proc.kill('SIGKILL')).not.toThrow();
  });
});
