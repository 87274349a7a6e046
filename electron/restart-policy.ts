/**
 * When to restart a crashed engine and when to stop trying. Pure: the caller passes the time.
 * Crashes back off exponentially; too many crashes in a short window, or too many launches in
 * a row that never became ready, mean something is wrong that restarting will not fix.
 */

/** What to do after a crash. */
export type RestartDecision = { action: 'restart'; delayMs: number } | { action: 'giveUp'; reason: string };

/** Tuning; the defaults give up at the third crash within a minute. */
export interface RestartPolicyOptions {
  maxCrashes: number;
  windowMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

const DEFAULTS: RestartPolicyOptions = { maxCrashes: 3, windowMs: 60_000, baseDelayMs: 500, maxDelayMs: 8_000 };

/** Counts crashes and decides on restarts. */
export class RestartPolicy {
  private readonly options: RestartPolicyOptions;
  private crashes: number[] = [];
  private failedLaunchesInARow = 0;

  constructor(options: Partial<RestartPolicyOptions> = {}) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** Records a crash at `now` (ms) and decides. `launchFailed`: the engine never became ready. */
  recordCrash(now: number, launchFailed = false): RestartDecision {
    const { maxCrashes, windowMs, baseDelayMs, maxDelayMs } = this.options;
    this.crashes = [...this.crashes.filter((t) => now - t < windowMs), now];
    this.failedLaunchesInARow = launchFailed ? this.failedLaunchesInARow + 1 : 0;
    if (this.crashes.length >= maxCrashes) {
      return { action: 'giveUp', reason: `${this.crashes.length} crashes within ${Math.round(windowMs / 1000)} s` };
    }
    // A launch that times out takes longer than the window, so the window alone would retry
    // forever; failed launches in a row are capped separately.
    if (this.failedLaunchesInARow >= maxCrashes) {
      return { action: 'giveUp', reason: `${this.failedLaunchesInARow} restarts in a row did not become ready` };
    }
    const delayMs = Math.min(maxDelayMs, baseDelayMs * 2 ** (this.crashes.length - 1));
    return { action: 'restart', delayMs };
  }

  /** Records a successful (re)start: failed launches in a row start again from zero. */
  recordReady(): void {
    this.failedLaunchesInARow = 0;
  }

  /** Forgets all crashes (the user asked for a fresh start). */
  reset(): void {
    this.crashes = [];
    this.failedLaunchesInARow = 0;
  }
}
