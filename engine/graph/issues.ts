/**
 * Readable sentences for zod issues, naming the field (`nodes[2].params.units: …`): shared by
 * the document loader and the per-node parameter validation.
 */
import type { z } from 'zod';

/** Formats a zod path like `nodes[2].params.units`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  }
  return out || '(document)';
}

/** Turns the first zod issue into one readable sentence naming the field. */
export function describeIssue(issue: z.core.$ZodIssue): string {
  // zod says "expected number, received undefined" for an absent field; say "missing".
  const message = issue.message.replace(/^Invalid input: expected (.+), received undefined$/, 'missing; expected $1');
  return `${formatPath(issue.path)}: ${message}`;
}
