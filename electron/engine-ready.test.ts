import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { eachLine, LineTail, parseReadyLine } from './engine-ready.js';

describe('parseReadyLine', () => {
  const line = (value: object) => JSON.stringify(value);
  const ready = { event: 'listening', host: '127.0.0.1', port: 41234, token: 'abc', url: 'http://127.0.0.1:41234/?token=abc' };

  it('reads the address from the listening line', () => {
    expect(parseReadyLine(line(ready))).toEqual({ host: '127.0.0.1', port: 41234, token: 'abc' });
  });

  it('treats every other line as a log', () => {
    expect(parseReadyLine('engine: loading tf.js')).toBeNull();
    expect(parseReadyLine('{not json')).toBeNull();
    expect(parseReadyLine('null')).toBeNull();
    expect(parseReadyLine(line({ ...ready, event: 'progress' }))).toBeNull();
    expect(parseReadyLine(line({ ...ready, port: 0 }))).toBeNull();
    expect(parseReadyLine(line({ ...ready, port: 70_000 }))).toBeNull();
    expect(parseReadyLine(line({ ...ready, port: '41234' }))).toBeNull();
    expect(parseReadyLine(line({ ...ready, token: 5 }))).toBeNull();
  });
});

describe('eachLine', () => {
  it('splits chunks into lines, \\r\\n included', async () => {
    const stream = new PassThrough();
    const lines: string[] = [];
    eachLine(stream, (l) => lines.push(l));
    stream.write('a\r\nb');
    stream.write('c\nd\n');
    stream.end();
    await new Promise((r) => setImmediate(r));
    expect(lines).toEqual(['a', 'bc', 'd']);
  });
});

describe('LineTail', () => {
  it('keeps the last lines', () => {
    const tail = new LineTail(2);
    expect(tail.text()).toBe('');
    for (const l of ['1', '2', '3']) tail.push(l);
    expect(tail.text()).toBe('2\n3');
  });
});
