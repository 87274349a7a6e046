/**
 * Redis connections for the trial queue: the `--queue` URL parsed into ioredis options
 * (`redis://[USER][:PASSWORD@]HOST[:PORT][/DB]`, `rediss://` for TLS, passed through to Node's
 * TLS with the host as server name), a redacted form for every message (a password never reaches
 * a log), and reconnection with capped exponential backoff that says what it is doing.
 */
import { Redis, type RedisOptions } from 'ioredis';

/** The BullMQ queue every search and worker share (jobs are named by experiment and trial). */
export const QUEUE_NAME = 'layerloom-trials';

/** A parsed queue URL. */
export interface QueueTarget {
  /** The URL with any password replaced by `***`: the only form printed. */
  redacted: string;
  options: RedisOptions;
}

/** The last reconnect attempt reported per server, shared by its connections. */
const reported = new Map<string, { attempt: number }>();

/** Backoff before reconnect attempt `n` (1-based): 0.5 s doubling to at most 30 s. */
export function reconnectDelayMs(n: number): number {
  return Math.min(500 * 2 ** Math.min(n - 1, 16), 30_000);
}

/** Parses a queue URL; errors quote the redacted URL and say what form is expected. */
export function parseQueueUrl(url: string): QueueTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`queue URL "${redactUrl(url)}" is not a URL; expected redis://[:PASSWORD@]HOST:PORT[/DB] or rediss://… (TLS)`);
  }
  const redacted = redactUrl(url);
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new Error(`queue URL "${redacted}": the scheme must be redis:// or rediss:// (TLS), got ${u.protocol}//`);
  if (!u.hostname) throw new Error(`queue URL "${redacted}" has no host`);
  const port = u.port === '' ? 6379 : Number(u.port);
  const dbText = u.pathname.replace(/^\//, '');
  const db = dbText === '' ? 0 : Number(dbText);
  if (!Number.isInteger(db) || db < 0) throw new Error(`queue URL "${redacted}": the path must be a database number (/0, /1, …), got /${dbText}`);
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1'); // IPv6 literals come bracketed
  const options: RedisOptions = {
    host,
    port,
    db,
    ...(u.username !== '' && { username: decodeURIComponent(u.username) }),
    ...(u.password !== '' && { password: decodeURIComponent(u.password) }),
    ...(u.protocol === 'rediss:' && { tls: { servername: host } }),
  };
  return { redacted, options };
}

/** The URL with its password (if any) replaced by `***`. */
export function redactUrl(url: string): string {
  return url.replace(/^(\w+:\/\/[^:/@]*:)[^@]*@/, '$1***@');
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
