import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadNpy, parseNpy } from './npy.js';
import { loadDataset } from './registry.js';

const dir = mkdtempSync(join(tmpdir(), 'loom-npy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes an .npy file the way numpy does: header padded with spaces to a 64-byte boundary. */
function npy(descr: string, shape: number[], data: Buffer, opts: { fortran?: boolean; version?: number } = {}): Buffer {
  const version = opts.version ?? 1;
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': ${opts.fortran ? 'True' : 'False'}, 'shape': ${shapeText}, }`;
  const pre = version === 1 ? 10 : 12;
  const total = Math.ceil((pre + header.length + 1) / 64) * 64;
  header = header.padEnd(total - pre - 1, ' ') + '\n';
  const head = Buffer.alloc(pre);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]).copy(head);
  if (version === 1) head.writeUInt16LE(header.length, 8);
  else head.writeUInt32LE(header.length, 8);
  return Buffer.concat([head, Buffer.from(header, 'latin1'), data]);
}

function f32(values: number[]): Buffer {
  return Buffer.from(new Float32Array(values).buffer);
}

function file(name: string, bytes: Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

describe('NPY', () => {
  it('parses the common dtypes', () => {
    expect(Array.from(parseNpy(npy('<f8', [2], Buffer.from(new Float64Array([1.5, -2]).buffer)), 'a').data)).toEqual([1.5, -2]);
    expect(Array.from(parseNpy(npy('<i4', [2], Buffer.from(new Int32Array([-7, 9]).buffer)), 'a').data)).toEqual([-7, 9]);
    expect(Array.from(parseNpy(npy('<i8', [2], Buffer.from(new BigInt64Array([-7n, 9n]).buffer)), 'a').data)).toEqual([-7, 9]);
    expect(Array.from(parseNpy(npy('|u1', [3], Buffer.from([0, 128, 255])), 'a').data)).toEqual([0, 128, 255]);
    expect(Array.from(parseNpy(npy('<u2', [1], Buffer.from(new Uint16Array([60000]).buffer)), 'a').data)).toEqual([60000]);
    const be = Buffer.alloc(8);
    be.writeFloatBE(3.5, 0);
    be.writeFloatBE(-1, 4);
    expect(Array.from(parseNpy(npy('>f4', [2], be), 'a').data)).toEqual([3.5, -1]);
    const v2 = parseNpy(npy('<f4', [2, 2], f32([1, 2, 3, 4]), { version: 2 }), 'a');
    expect(v2.shape).toEqual([2, 2]);
  });

  it('loads features/labels; the feature shape gives inputShape', async () => {
    const fx = file('x.npy', npy('<f4', [3, 2, 2, 1], f32(Array.from({ length: 12 }, (_, i) => i))));
    const ly = file('y.npy', npy('<i8', [3], Buffer.from(new BigInt64Array([0n, 1n, 1n]).buffer)));
    const ds = await loadDataset(`npy:${fx},${ly}`);
    expect(ds.inputShape).toEqual([2, 2, 1]);
    expect(ds.isImage).toBe(true);
    expect(ds.count).toBe(3);
    expect(ds.task).toBe('classification');
    expect(ds.numClasses).toBe(2);
    expect(ds.x[11]).toBe(11);
    const ry = file('ry.npy', npy('<f8', [3, 1], Buffer.from(new Float64Array([0.1, 0.2, 0.3]).buffer)));
    const reg = await loadNpy([fx, ry]);
    expect(reg.task).toBe('regression');
    expect(reg.targetShape).toEqual([1]);
  });

  it('rejects fortran_order True', async () => {
    const fx = file('fort.npy', npy('<f4', [2, 2], f32([1, 2, 3, 4]), { fortran: true }));
    const ly = file('l.npy', npy('|u1', [2], Buffer.from([0, 1])));
    await expect(loadNpy([fx, ly])).rejects.toThrow(/fort\.npy \(byte 10\): fortran_order True is not supported/);
  });

  it('rejects bad magic, unsupported dtype, truncation and count mismatch', async () => {
    expect(() => parseNpy(Buffer.from('PK\x03\x04 not numpy'), 'z.npy')).toThrow(/z\.npy \(byte 0\): bad magic/);
    expect(() => parseNpy(npy('<c8', [1], Buffer.alloc(8)), 'c.npy')).toThrow(/c\.npy \(byte 10\): unsupported dtype '<c8'/);
    expect(() => parseNpy(npy('<f4', [4], f32([1, 2, 3])), 't.npy')).toThrow(/t\.npy \(byte 140\): truncated data: .* needs 16 bytes .* found 12/);
    const fx = file('x3.npy', npy('<f4', [3, 1], f32([1, 2, 3])));
    const ly = file('y2.npy', npy('|u1', [2], Buffer.from([0, 1])));
    await expect(loadNpy([fx, ly])).rejects.toThrow(/y2\.npy \(header\): label count 2 does not match feature count 3/);
    const neg = file('neg.npy', npy('<i4', [3], Buffer.from(new Int32Array([0, -2, 1]).buffer)));
    await expect(loadNpy([fx, neg])).rejects.toThrow(/neg\.npy \(sample 1\): label -2 out of range/);
  });
});
