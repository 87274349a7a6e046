import { describe, expect, it } from 'vitest';
import { searchEventSchema } from '../../engine/server/protocol/search.js';
import { encodeSearchLine } from '../runner/search-events.js';
import { eventFromLine } from './cli-events.js';

describe('eventFromLine', () => {
  it('maps a trial line to a protocol trial event, dropping metrics JSON wrote as null', () => {
    const line = encodeSearchLine({
      event: 'trial',
      experimentId: 'e1',
      run: 0,
      trialId: 4,
      seq: 3,
      arch: 'a',
      status: 'ok',
      objective: 0.9,
      metrics: { valAccuracy: 0.9, latencyMs: NaN },
      parent: 2,
      changed: 'd1.units',
      costSeconds: 2,
      simulatedSeconds: 0,
      bestTrialId: 4,
    });
    const e = eventFromLine(line);
    expect(searchEventSchema.parse(e)).toEqual({
      event: 'trial',
      experimentId: 'e1',
      bestTrialId: 4,
      trial: {
        trialId: 4,
        seq: 3,
        arch: 'a',
        status: 'ok',
        objective: 0.9,
        metrics: { valAccuracy: 0.9 },
        parent: 2,
        changed: 'd1.units',
        costSeconds: 2,
        error: null,
      },
    });
  });

  it('passes supernet epochs and unknown events on as progress, text as log lines', () => {
    const epoch = encodeSearchLine({
      event: 'supernet-epoch',
      experimentId: 'e1',
      strategy: 'spos',
      epoch: 1,
      epochs: 2,
      metrics: { loss: 1.2 },
      derived: null,
      seconds: 3,
    });
    expect(eventFromLine(epoch)).toMatchObject({ event: 'progress', kind: 'supernet-epoch', data: { epoch: 1, metrics: { loss: 1.2 } } });
    expect(eventFromLine('{"event":"warmup"}')).toEqual({ event: 'progress', kind: 'warmup', data: {} });
    expect(eventFromLine('hello')).toEqual({ event: 'log', line: 'hello' });
  });

  it('turns a malformed protocol line into a log line that says what is wrong', () => {
    const e = eventFromLine('{"event":"trial","experimentId":"e1"}');
    expect(e.event).toBe('log');
    expect((e as { line: string }).line).toMatch(/unreadable "trial" line from the search \(run: /);
  });
});
