/**
 * What a job has emitted, for watchers that attach late (a reloaded page): every event is
 * kept except that per-batch events are thinned — when more than `maxBatches` are held,
 * every second one is dropped — so a long run's log stays small while the curve keeps its
 * shape. Live subscribers see every event as it comes.
 */

/** A listener of live events. */
export type Listener<E> = (event: E) => void;

/** Events of one job, with subscribers and an end. */
export class EventLog<E extends { event: string }, S> {
  private readonly events: E[] = [];
  private batches = 0;
  private readonly listeners = new Set<Listener<E>>();
  private readonly endListeners = new Set<(status: S) => void>();
  private endStatus: { status: S } | null = null;

  constructor(private readonly maxBatches = 1000) {}

  /** Records an event and hands it to every subscriber. */
  push(event: E): void {
    if (this.endStatus) return;
    this.events.push(event);
    if (event.event === 'batch' && ++this.batches > this.maxBatches) this.thinBatches();
    for (const l of this.listeners) l(event);
  }

  /** Ends the log; later pushes are ignored. */
  end(status: S): void {
    if (this.endStatus) return;
    this.endStatus = { status };
    for (const l of this.endListeners) l(status);
    this.listeners.clear();
    this.endListeners.clear();
  }

  /** The final status once ended. */
  get ended(): { status: S } | null {
    return this.endStatus;
  }

  /** Everything kept so far, oldest first. */
  replay(): readonly E[] {
    return this.events;
  }

  /**
   * Replays the log into `listener`, then follows it live until the end. Resolves with the
   * final status; `signal` unsubscribes (the promise then rejects with an AbortError).
   */
  follow(listener: Listener<E>, signal?: AbortSignal): Promise<S> {
    for (const e of this.events) listener(e);
    const ended = this.endStatus;
    if (ended) return Promise.resolve(ended.status);
    return new Promise<S>((resolve, reject) => {
      const onEnd = (status: S) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(status);
      };
      const onAbort = () => {
        this.listeners.delete(listener);
        this.endListeners.delete(onEnd);
        reject(Object.assign(new Error('unsubscribed'), { name: 'AbortError' }));
      };
      if (signal?.aborted) return onAbort();
      this.listeners.add(listener);
      this.endListeners.add(onEnd);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Live subscribers (for tests and the active-jobs view). */
  get subscribers(): number {
    return this.listeners.size;
  }

  private thinBatches(): void {
    // Keep every second batch event and always the latest one.
    const n = this.batches;
    let k = 0;
    const kept = this.events.filter((e) => {
      if (e.event !== 'batch') return true;
      const i = k++;
      return i % 2 === 1 || i === n - 1;
    });
    this.events.splice(0, this.events.length, ...kept);
    this.batches = kept.filter((e) => e.event === 'batch').length;
  }
}
