/** CLI error helpers: usage errors, and one-line rendering of any error for stderr. */
import { printableLine } from '../../engine/util/printable.js';

/** A mistake in how the command was called (exit code 2). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * One line saying what went wrong; typed engine errors carry their own location text. Control
 * characters of user text (a node id with NUL or U+202E) are escaped, not sent to the terminal.
 */
export function formatError(e: unknown): string {
  if (e instanceof Error) return printableLine(e.message.split('\n')[0]);
  return printableLine(String(e));
}

/** Parses an integer option, with a usage error naming the flag. */
export function intOption(name: string, v: string | undefined, min = 1): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} expects an integer ≥ ${min}, got "${v}"`);
  return n;
}
