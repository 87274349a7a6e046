/**
 * The `--queue` URL: parsed into ioredis options (`redis://[USER][:PASSWORD@]HOST[:PORT][/DB]`,
 * `rediss://` for TLS with the host as server name) and redacted for messages and storage, so a
 * password never reaches a log or the experiment database. Pure (no Redis client loaded), so
 * the runner can check and record a URL without loading ioredis.
 */
import type { RedisOptions } from 'ioredis';

/** A parsed queue URL. */
export interface QueueTarget {
  /** The URL with any password replaced by `***`: the only form printed. */
  redacted: string;
  options: RedisOptions;
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
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:')
    throw new Error(`queue URL "${redacted}": the scheme must be redis:// or rediss:// (TLS), got ${u.protocol}//`);
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
