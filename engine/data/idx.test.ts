import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { loadIdx, parseIdx } from './idx.js';
import { loadDataset } from './registry.js';
import { DataError } from './types.js';

const dir = mkdtempSync(join(tmpdir(), 'loom-idx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Builds IDX bytes; `write` stores one big-endian value of the dtype. */
function idx(dtype: number, dims: number[], values: number[]): Buffer {
  const size = { 8: 1, 9: 1, 11: 2, 12: 4, 13: 4, 14: 8 }[dtype]!;
  const buf = Buffer.alloc(4 + 4 * dims.length + values.length * size);
  buf[2] = dtype;
  buf[3] = dims.length;
  dims.forEach((d, k) => buf.writeUInt32BE(d, 4 + 4 * k));
  let o = 4 + 4 * dims.length;
  for (const v of values) {
    if (dtype === 8) buf.writeUInt8(v, o);
    else if (dtype === 9) buf.writeInt8(v, o);
    else if (dtype === 11) buf.writeInt16BE(v, o);
    else if (dtype === 12) buf.writeInt32BE(v, o);
    else if (dtype === 13) buf.writeFloatBE(v, o);
    else buf.writeDoubleBE(v, o);
    o += size;
  }
  return buf;
}

function file(name: string, bytes: Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

const pixels = Array.from({ length: 3 * 2 * 2 }, (_, i) => i * 20);
const images = file('img.idx', idx(8, [3, 2, 2], pixels));
const labels = file('lab.idx', idx(8, [3], [0, 2, 1]));

describe('IDX parsing', () => {
  it('decodes every dtype big-endian', () => {
    expect(Array.from(parseIdx(idx(9, [2], [-3, 4]), 'a').data)).toEqual([-3, 4]);
    expect(Array.from(parseIdx(idx(11, [2], [-300, 300]), 'a').data)).toEqual([-300, 300]);
    expect(Array.from(parseIdx(idx(12, [2], [-70000, 70000]), 'a').data)).toEqual([-70000, 70000]);
    expect(Array.from(parseIdx(idx(13, [2], [1.5, -2.25]), 'a').data)).toEqual([1.5, -2.25]);
    expect(Array.from(parseIdx(idx(14, [1, 2], [0.5, 3]), 'a').data)).toEqual([0.5, 3]);
    expect(parseIdx(idx(14, [1, 2], [0.5, 3]), 'a').dims).toEqual([1, 2]);
  });

  it('loads a plain image/label pair with ubyte scaled to [0,1]', async () => {
    const ds = await loadIdx([images, labels]);
    expect(ds.count).toBe(3);
    expect(ds.inputShape).toEqual([2, 2, 1]);
    expect(ds.isImage).toBe(true);
    expect(ds.numClasses).toBe(3);
    expect(ds.x[1]).toBeCloseTo(20 / 255);
    expect(Array.from(ds.y)).toEqual([0, 2, 1]);
  });

  it('loads gzipped files and a test pair through the registry', async () => {
    const gi = file('img.gz', gzipSync(idx(8, [3, 2, 2], pixels)));
    const gl = file('lab.bin', gzipSync(idx(8, [3], [0, 2, 1])));
    const ti = file('timg.idx', idx(8, [1, 2, 2], [1, 2, 3, 4]));
    const tl = file('tlab.idx', idx(8, [1], [1]));
    const ds = await loadDataset(`idx:${gi},${gl},${ti},${tl}`);
    expect(ds.count).toBe(3);
    expect(ds.test?.count).toBe(1);
    expect(ds.test?.y[0]).toBe(1);
  });

  it('rejects a wrong magic number at byte 0', async () => {
    const bad = file('magic.idx', Buffer.from([0x50, 0x4b, 3, 4, 0, 0, 0, 1, 0]));
    await expect(loadIdx([bad, labels])).rejects.toThrow(/magic\.idx \(byte 0\): bad magic number 0x504b0304/);
  });

  it('rejects an unknown dtype byte', () => {
    expect(() => parseIdx(Buffer.from([0, 0, 0x0a, 1, 0, 0, 0, 1, 0]), 'd.idx')).toThrow(/d\.idx \(byte 2\): unknown dtype byte 0x0a/);
  });

  it('rejects truncated data, stating expected vs actual bytes', async () => {
    const full = idx(8, [3, 2, 2], pixels);
    const cut = file('cut.idx', full.subarray(0, full.length - 5));
    const err = await loadIdx([cut, labels]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).file).toBe(cut);
    expect((err as Error).message).toMatch(/cut\.idx \(byte 23\): truncated data: shape \[3, 2, 2\] of ubyte needs 12 data bytes .* found 7/);
  });

  it('rejects a truncated header', () => {
    expect(() => parseIdx(Buffer.from([0, 0, 8, 3, 0, 0, 0, 1]), 'h.idx')).toThrow(/h\.idx \(byte 8\): truncated header/);
  });

  it('rejects image/label count mismatch', async () => {
    const few = file('few.idx', idx(8, [2], [0, 1]));
    await expect(loadIdx([images, few])).rejects.toThrow(/few\.idx \(byte 4\): label count 2 does not match image count 3/);
  });

  it('rejects labels out of range with the sample index', async () => {
    const neg = file('neg.idx', idx(9, [3], [0, -1, 1]));
    await expect(loadIdx([images, neg])).rejects.toThrow(/neg\.idx \(sample 1, byte 9\): label -1 out of range/);
    const ti = file('ti.idx', idx(8, [1, 2, 2], [1, 2, 3, 4]));
    const big = file('big.idx', idx(8, [1], [7]));
    await expect(loadIdx([images, labels, ti, big])).rejects.toThrow(/big\.idx \(sample 0, byte 8\): label 7 out of range: .* 0\.\.2/);
    await expect(loadIdx([images, labels], { numClasses: 2 })).rejects.toThrow(/lab\.idx \(sample 1, byte 9\)/);
  });

  it('treats float labels as regression', async () => {
    const reg = file('reg.idx', idx(13, [3], [0.5, 1.5, 2.5]));
    const ds = await loadIdx([images, reg]);
    expect(ds.task).toBe('regression');
    expect(ds.targetShape).toEqual([1]);
  });
});
