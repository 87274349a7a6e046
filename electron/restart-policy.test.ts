import { describe, expect, it } from 'vitest';
import { RestartPolicy } from './restart-policy.js';

describe('RestartPolicy', () => {
  it('restarts with growing delays and gives up at the third crash within a minute', () => {
    const policy = new RestartPolicy();
    expect(policy.recordCrash(0)).toEqual({ action: 'restart', delayMs: 500 });
    expect(policy.recordCrash(10_000)).toEqual({ action: 'restart', delayMs: 1_000 });
    expect(policy.recordCrash(20_000)).toEqual({ action: 'giveUp', reason: '3 crashes within 60 s' });
  });

  it('forgets crashes older than the window', () => {
    const policy = new RestartPolicy();
    policy.recordCrash(0);
    policy.recordCrash(30_000);
    expect(policy.recordCrash(61_000)).toEqual({ action: 'restart', delayMs: 1_000 });
    expect(policy.recordCrash(200_000)).toEqual({ action: 'restart', delayMs: 500 });
  });

  it('gives up after launches in a row that never became ready, however slow', () => {
    const policy = new RestartPolicy();
    expect(policy.recordCrash(0).action).toBe('restart');
    expect(policy.recordCrash(45_000, true).action).toBe('restart');
    expect(policy.recordCrash(90_000, true).action).toBe('restart');
    expect(policy.recordCrash(135_000, true)).toEqual({ action: 'giveUp', reason: '3 restarts in a row did not become ready' });
  });

  it('a ready engine resets the failed-launch count; reset() forgets everything', () => {
    const policy = new RestartPolicy({ maxCrashes: 2, windowMs: 1_000 });
    policy.recordCrash(0, true);
    policy.recordReady();
    expect(policy.recordCrash(5_000, true).action).toBe('restart');
    policy.reset();
    expect(policy.recordCrash(5_001).action).toBe('restart');
  });

  it('caps the delay', () => {
    const policy = new RestartPolicy({ maxCrashes: 100, baseDelayMs: 1_000, maxDelayMs: 3_000 });
    const delays = [0, 1, 2, 3, 4].map((t) => policy.recordCrash(t));
    expect(delays.map((d) => (d.action === 'restart' ? d.delayMs : -1))).toEqual([1_000, 2_000, 3_000, 3_000, 3_000]);
  });
});
