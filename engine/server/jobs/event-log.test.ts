import { describe, expect, it } from 'vitest';
import { EventLog } from './event-log.js';

type E = { event: string; n: number };

describe('EventLog', () => {
  it('replays what was emitted, then follows live events until the end', async () => {
    const log = new EventLog<E, string>();
    log.push({ event: 'start', n: 0 });
    const seen: number[] = [];
    const done = log.follow((e) => seen.push(e.n));
    expect(seen).toEqual([0]);
    log.push({ event: 'epoch', n: 1 });
    log.end('completed');
    log.push({ event: 'epoch', n: 2 });
    await expect(done).resolves.toBe('completed');
    expect(seen).toEqual([0, 1]);
    // Following an ended log replays it and resolves at once.
    const again: number[] = [];
    await expect(log.follow((e) => again.push(e.n))).resolves.toBe('completed');
    expect(again).toEqual([0, 1]);
  });

  it('an aborted follow unsubscribes and rejects with AbortError; the log goes on', async () => {
    const log = new EventLog<E, string>();
    const ctl = new AbortController();
    const seen: number[] = [];
    const p = log.follow((e) => seen.push(e.n), ctl.signal);
    log.push({ event: 'batch', n: 1 });
    expect(log.subscribers).toBe(1);
    ctl.abort();
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    expect(log.subscribers).toBe(0);
    log.push({ event: 'batch', n: 2 });
    expect(seen).toEqual([1]);
    expect(log.replay().map((e) => e.n)).toEqual([1, 2]);
  });

  it('thins batch events beyond the cap, keeping the other events and the latest batch', () => {
    const log = new EventLog<E, string>(10);
    for (let i = 1; i <= 100; i++) log.push({ event: i % 10 === 0 ? 'epoch' : 'batch', n: i });
    const kept = log.replay();
    const batches = kept.filter((e) => e.event === 'batch');
    expect(batches.length).toBeLessThanOrEqual(10);
    expect(batches.length).toBeGreaterThanOrEqual(5);
    expect(kept.filter((e) => e.event === 'epoch').map((e) => e.n)).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    expect(batches.at(-1)!.n).toBe(99);
    // Order is preserved.
    const ns = kept.map((e) => e.n);
    expect(ns).toEqual([...ns].sort((a, b) => a - b));
  });
});
