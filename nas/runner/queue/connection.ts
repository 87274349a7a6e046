/**
 * Redis connections for the trial queue (the URL is parsed in url.ts): BullMQ's options, and
 * reconnection with capped exponential backoff that says what it is doing, naming the server
 * by its redacted URL.
 */
import { Redis } from 'ioredis';
import type { QueueTarget } from './url.js';

export { parseQueueUrl, redactUrl, type QueueTarget } from './url.js';

/** The BullMQ queue every search and worker share (jobs are named by experiment and trial). */
export const QUEUE_NAME = 'layerloom-trials';

/** The last reconnect attempt reported per server, shared by its connections. */
const reported = new Map<string, { attempt: number }>();

/** Backoff before reconnect attempt `n` (1-based): 0.5 s doubling to at most 30 s. */
export function reconnectDelayMs(n: number): number {
  return Math.min(500 * 2 ** Math.min(n - 1, 16), 30_000);
}

/**
 * Opens a connection for BullMQ (`maxRetriesPerRequest: null`, as its blocking commands need).
 * While Redis is unreachable it retries forever with {@link reconnectDelayMs} and reports each
 * retry through `log` (once per attempt, naming the redacted URL and the cause).
 */
export function connectRedis(target: QueueTarget, log: (line: string) => void): Redis {
  let lastError = '';
  const said = reported.get(target.redacted) ?? { attempt: 0 };
  reported.set(target.redacted, said);
  const redis = new Redis({
    ...target.options,
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    retryStrategy: (times) => {
      const ms = reconnectDelayMs(times);
      // Every connection to one server retries in step (BullMQ duplicates them): say it once.
      if (times === said.attempt) return ms;
      said.attempt = times;
      log(`cannot reach Redis at ${target.redacted}${lastError ? ` (${lastError})` : ''}; retrying in ${(ms / 1000).toFixed(1)} s (attempt ${times})`);
      return ms;
    },
  });
  redis.on('error', (e: Error & { code?: string }) => {
    lastError = e.code ?? e.message;
  });
  redis.on('ready', () => {
    if (lastError && said.attempt !== 0) log(`connected to Redis at ${target.redacted}`);
    said.attempt = 0;
    lastError = '';
  });
  return redis;
}
