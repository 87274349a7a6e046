/**
 * Text from users (node ids, file names, project names) shown in messages: control characters
 * would act on a terminal (NUL, escape sequences, a carriage return overwriting the line) and
 * bidi overrides (U+202E) would reorder what is shown, so both are written as `\uXXXX` escapes.
 */

// Matching control characters is the point of this pattern.
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** `text` with control characters and bidi controls escaped; tabs and newlines are kept. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `text` on one line: newlines and tabs escaped too (table cells, ids inside a sentence). */
export function printableLine(text: string): string {
  return printable(text).replace(/[\n\t]/g, (c) => (c === '\n' ? '\\n' : '\\t'));
}
