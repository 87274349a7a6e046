// Queue URLs (passwords, TLS, database numbers, redaction), reconnect backoff and the wire
// format of evaluations (NaN survives as null).
import { describe, expect, it } from 'vitest';
import { parseQueueUrl, reconnectDelayMs, redactUrl } from './connection.js';
import { decodeEvaluation, encodeEvaluation, jobIdOf, trialJobSchema } from './jobs.js';
import { failedEvaluation } from '../pool.js';

describe('queue URL', () => {
  it('takes a password and never shows it', () => {
    const t = parseQueueUrl('redis://:s%40cret@10.0.0.5:6380/2');
    expect(t.options).toMatchObject({ host: '10.0.0.5', port: 6380, db: 2, password: 's@cret' });
    expect(t.options.tls).toBeUndefined();
    expect(t.redacted).toBe('redis://:***@10.0.0.5:6380/2');
    expect(redactUrl('redis://user:pw@h:1')).toBe('redis://user:***@h:1');
    expect(redactUrl('redis://h:1')).toBe('redis://h:1');
  });

  it('passes rediss:// through as TLS with the host as server name', () => {
    const t = parseQueueUrl('rediss://default:pw@redis.example.org');
    expect(t.options).toMatchObject({
      host: 'redis.example.org',
      port: 6379,
      db: 0,
      username: 'default',
      password: 'pw',
      tls: { servername: 'redis.example.org' },
    });
  });

  it('refuses other schemes and bad paths, quoting the URL without its password', () => {
    expect(() => parseQueueUrl('http://:pw@h:1')).toThrow('queue URL "http://:***@h:1": the scheme must be redis:// or rediss:// (TLS), got http://');
    expect(() => parseQueueUrl('redis://h:1/abc')).toThrow('the path must be a database number');
    expect(() => parseQueueUrl('not a url :pw@')).toThrow('is not a URL');
  });

  it('backs off exponentially up to 30 s', () => {
    expect([1, 2, 3, 4].map(reconnectDelayMs)).toEqual([500, 1000, 2000, 4000]);
    expect(reconnectDelayMs(100)).toBe(30_000);
  });
});

describe('job and result format', () => {
  it('carries NaN signals of failed trials as null and back', () => {
    const ev = { ...failedEvaluation('boom'), metrics: { params: 10, valLoss: NaN } };
    const wire = JSON.parse(JSON.stringify(encodeEvaluation(ev)));
    const back = decodeEvaluation(wire);
    expect(back.signal).toBeNaN();
    expect(back.report).toBeNaN();
    expect(back.metrics).toEqual({ params: 10 });
    expect(back).toMatchObject({ status: 'failed', error: 'boom', costSeconds: 0 });
  });

  it('names one job per experiment and trial, without the colon BullMQ refuses', () => {
    expect(jobIdOf('e1', 7)).toBe('e1-t7');
    expect(jobIdOf('e1', 7)).not.toContain(':');
  });

  it('refuses malformed jobs naming the field', () => {
    const r = trialJobSchema.safeParse({ v: 1, experimentId: '../x', trialId: 1, key: 'k', config: {} });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].path).toEqual(['experimentId']);
    expect(trialJobSchema.safeParse({ v: 1, experimentId: 'e', trialId: 1, key: 'k', config: {}, extra: 1 }).success).toBe(false);
  });
});
