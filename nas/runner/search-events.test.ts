import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeSearchLine, encodeSearchLine, SEARCH_LINE_EVENTS, searchLineSchema } from './search-events.js';

const trial = {
  event: 'trial',
  experimentId: 'e1',
  run: 0,
  trialId: 3,
  seq: 2,
  arch: '|nor_conv_3x3~0|',
  status: 'failed',
  error: 'training diverged',
  objective: NaN,
  metrics: { valAccuracy: NaN, params: 1200 },
  parent: null,
  changed: null,
  costSeconds: 1.5,
  simulatedSeconds: 0,
  bestTrialId: null,
} as const;

/** README's table of `search --json` events: event name → the text of its fields column. */
function readmeTable(): Map<string, string> {
  const readme = fs.readFileSync(path.join(import.meta.dirname, '../../README.md'), 'utf8');
  const start = readme.indexOf('`search --json` prints one JSON object per line');
  expect(start).toBeGreaterThan(0);
  const rows = new Map<string, string>();
  for (const line of readme.slice(start).split('\n').slice(1)) {
    if (rows.size && !line.startsWith('|')) break;
    const m = /^\| `([a-z-]+)` \| [^|]+ \| (.+) \|$/.exec(line);
    if (m) rows.set(m[1], m[2]);
  }
  return rows;
}

describe('search --json lines', () => {
  it('writes a failed trial whose NaN metrics become null, and reads it back', () => {
    const text = encodeSearchLine(trial);
    const d = decodeSearchLine(text);
    expect(d.kind).toBe('event');
    if (d.kind !== 'event' || d.line.event !== 'trial') throw new Error('not a trial');
    expect(d.line.metrics).toEqual({ valAccuracy: null, params: 1200 });
    expect(d.line.objective).toBeNull();
  });

  it('refuses to write a line that does not match its schema, naming the field', () => {
    expect(() => encodeSearchLine({ ...trial, status: 'maybe' })).toThrow(/bad "trial" line: status/);
    expect(() => encodeSearchLine({ ...trial, trialId: undefined })).toThrow(/trialId/);
  });

  it('tells plain text, other events and invalid protocol lines apart', () => {
    expect(decodeSearchLine('epoch 1/3 ...')).toEqual({ kind: 'text' });
    expect(decodeSearchLine('[1,2]')).toEqual({ kind: 'text' });
    expect(decodeSearchLine('{"event":"warmup","n":2}')).toEqual({ kind: 'other', event: 'warmup', data: { n: 2 } });
    const bad = decodeSearchLine('{"event":"done","status":"completed"}');
    expect(bad.kind).toBe('invalid');
    if (bad.kind === 'invalid') expect(bad.error).toMatch(/best|summary|experiments/);
  });

  it("README's table lists exactly these events and every field of each", () => {
    const rows = readmeTable();
    expect([...rows.keys()].sort()).toEqual([...SEARCH_LINE_EVENTS].sort());
    for (const option of searchLineSchema.options) {
      const event = option.shape.event.value;
      const fields = rows.get(event)!;
      for (const key of Object.keys(option.shape).filter((k) => k !== 'event')) {
        expect(fields, `README's "${event}" row should name field "${key}"`).toContain(`\`${key}\``);
      }
    }
  });
});
