import { describe, expect, it } from 'vitest';
import { printable, printableLine } from './printable.js';

describe('printable', () => {
  it('escapes NUL, ESC, DEL, C1 controls and bidi overrides, keeping ordinary text', () => {
    expect(printable('a\u0000b')).toBe('a\\u0000b');
    expect(printable('\u001b[2Jgone')).toBe('\\u001b[2Jgone');
    expect(printable('evil\u202Etxt.exe')).toBe('evil\\u202etxt.exe');
    expect(printable('x\u007f\u0085\u2066')).toBe('x\\u007f\\u0085\\u2066');
    expect(printable('dense_1 → Ünïcode 层\tok\nnext')).toBe('dense_1 → Ünïcode 层\tok\nnext');
  });

  it('puts a text on one line when asked', () => {
    expect(printableLine('a\nb\rc\td\u0000')).toBe('a\\nb\\u000dc\\td\\u0000');
  });
});
