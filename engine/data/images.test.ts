import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { resizeRgba } from './image-decode.js';
import { loadImageFolder } from './images.js';
import { loadDataset } from './registry.js';
import { DataError } from './types.js';

const root = mkdtempSync(join(tmpdir(), 'loom-img-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** An RGBA buffer where `px(x, y)` gives [r, g, b]. */
function rgba(w: number, h: number, px: (x: number, y: number) => [number, number, number]): Buffer {
  const d = Buffer.alloc(w * h * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const [r, g, b] = px(x, y);
      d.set([r, g, b, 255], (y * w + x) * 4);
    }
  }
  return d;
}

function png(w: number, h: number, px: (x: number, y: number) => [number, number, number]): Buffer {
  const img = new PNG({ width: w, height: h });
  rgba(w, h, px).copy(img.data);
  return PNG.sync.write(img);
}

function put(dir: string, rel: string, bytes: Buffer): string {
  const p = join(dir, rel);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, bytes);
  return p;
}

describe('image folder', () => {
  it('loads gray PNGs as [h,w,1] with classes from sorted folder names', async () => {
    const dir = join(root, 'gray');
    put(
      dir,
      'zeta/a.png',
      png(4, 3, () => [255, 255, 255]),
    );
    put(
      dir,
      'alpha/a.png',
      png(4, 3, (x) => [x * 80, x * 80, x * 80]),
    );
    put(
      dir,
      'alpha/b.PNG',
      png(4, 3, () => [0, 0, 0]),
    );
    put(dir, 'alpha/notes.txt', Buffer.from('ignored'));
    const ds = await loadDataset(`images:${dir}`);
    expect(ds.inputShape).toEqual([3, 4, 1]);
    expect(ds.count).toBe(3);
    expect(ds.classNames).toEqual(['alpha', 'zeta']);
    expect(Array.from(ds.y)).toEqual([0, 0, 1]);
    expect(ds.x[1]).toBeCloseTo(80 / 255);
    expect(ds.x[2 * 12]).toBe(1);
    expect(ds.isImage).toBe(true);
  });

  it('loads colour images (PNG + JPEG) as RGB', async () => {
    const dir = join(root, 'rgb');
    put(
      dir,
      'red/a.png',
      png(8, 8, () => [255, 0, 0]),
    );
    const jpg = jpeg.encode({ width: 8, height: 8, data: rgba(8, 8, () => [0, 0, 255]) }, 95);
    put(dir, 'blue/b.jpg', jpg.data);
    const ds = await loadImageFolder(dir);
    expect(ds.inputShape).toEqual([8, 8, 3]);
    expect(ds.classNames).toEqual(['blue', 'red']);
    expect(ds.x[2]).toBeGreaterThan(0.9); // blue channel of the JPEG
    expect(ds.x[192]).toBe(1); // red channel of the PNG
  });

  it('rejects mixed sizes unless a resize size is given', async () => {
    const dir = join(root, 'mixed');
    put(
      dir,
      'a/1.png',
      png(4, 4, () => [10, 10, 10]),
    );
    put(
      dir,
      'b/2.png',
      png(6, 2, () => [200, 200, 200]),
    );
    await expect(loadImageFolder(dir)).rejects.toThrow(/2\.png \(sample 1\): image is 6x2 but .*1\.png is 4x4/);
    const ds = await loadImageFolder(dir, { size: [5, 5], resize: 'nearest' });
    expect(ds.inputShape).toEqual([5, 5, 1]);
    const bl = await loadDataset(`images:${dir}`, { imageSize: [2, 3] });
    expect(bl.inputShape).toEqual([2, 3, 1]);
  });

  it('names a corrupt PNG in the error', async () => {
    const dir = join(root, 'corrupt');
    put(
      dir,
      'ok/a.png',
      png(4, 4, () => [1, 1, 1]),
    );
    const good = png(4, 4, () => [9, 9, 9]);
    const broken = put(dir, 'ok/broken.png', good.subarray(0, 40));
    const err = await loadImageFolder(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).file).toBe(broken);
    expect((err as Error).message).toMatch(/broken\.png \(byte 0\): corrupt image/);
    put(dir, 'ok/fake.png', Buffer.from('hello'));
    rmSync(broken);
    await expect(loadImageFolder(dir)).rejects.toThrow(/fake\.png \(byte 0\): not a PNG or JPEG/);
  });

  it('resizes bilinearly between neighbouring pixels', () => {
    const src = { width: 2, height: 1, data: new Uint8Array([0, 0, 0, 255, 200, 200, 200, 255]) };
    const out = resizeRgba(src, 4, 1, 'bilinear');
    expect([out.data[0], out.data[4], out.data[8], out.data[12]]).toEqual([0, 50, 150, 200]);
    expect(Array.from(resizeRgba(src, 4, 1, 'nearest').data.filter((_, i) => i % 4 === 0))).toEqual([0, 0, 200, 200]);
  });
});
