/**
 * Image folder loader: `images:DIR`, one subfolder per class holding PNG/JPEG files. Class
 * ids follow the sorted subfolder names. Output is [h, w, 1] when every image is gray, else
 * [h, w, 3]; pixels are scaled to [0, 1] and alpha is dropped.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { dataError, readBytes } from './common.js';
import { decodeImage, isGray, resizeRgba, type ResizeMethod, type RgbaImage } from './image-decode.js';
import type { Dataset } from './types.js';

/** Options for {@link loadImageFolder}. */
export interface ImageFolderOptions {
  /** Resize every image to [height, width]; without it all images must share one size. */
  size?: [number, number];
  /** Resampling used with `size`. Default 'bilinear'. */
  resize?: ResizeMethod;
}

const IMAGE_EXT = /\.(png|jpe?g)$/i;

async function listDir(dir: string): Promise<import('node:fs').Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (e) {
    throw dataError(dir, undefined, `cannot read directory (${(e as NodeJS.ErrnoException).code ?? 'EIO'})`);
  }
}

/** Loads an image-per-file classification set from class subfolders. */
export async function loadImageFolder(dir: string, opts: ImageFolderOptions = {}): Promise<Dataset> {
  const classes = (await listDir(dir))
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
  if (classes.length === 0) throw dataError(dir, undefined, 'no class subfolders found (expected DIR/<class>/<image>.png)');
  const files: { path: string; label: number }[] = [];
  for (let c = 0; c < classes.length; c++) {
    const entries = (await listDir(join(dir, classes[c])))
      .filter((e) => e.isFile() && IMAGE_EXT.test(e.name))
      .map((e) => e.name)
      .sort();
    if (entries.length === 0) throw dataError(join(dir, classes[c]), undefined, 'class folder has no .png/.jpg/.jpeg files');
    for (const name of entries) files.push({ path: join(dir, classes[c], name), label: c });
  }
  if (opts.size && !opts.size.every((d) => Number.isInteger(d) && d > 0)) {
    throw dataError(dir, undefined, `bad resize target ${JSON.stringify(opts.size)}; expected [height, width] positive integers`);
  }
  const images: RgbaImage[] = [];
  let first: { w: number; h: number; file: string } | undefined;
  for (const f of files) {
    let img = decodeImage(await readBytes(f.path), f.path);
    if (opts.size) {
      img = resizeRgba(img, opts.size[1], opts.size[0], opts.resize ?? 'bilinear');
    } else if (!first) {
      first = { w: img.width, h: img.height, file: f.path };
    } else if (img.width !== first.w || img.height !== first.h) {
      throw dataError(
        f.path,
        `sample ${images.length}`,
        `image is ${img.width}x${img.height} but ${first.file} is ${first.w}x${first.h}; pass a resize size to load mixed sizes`,
      );
    }
    images.push(img);
  }
  const { width, height } = images[0];
  const channels = images.every(isGray) ? 1 : 3;
  const per = width * height * channels;
  const x = new Float32Array(images.length * per);
  const y = new Float32Array(images.length);
  for (let i = 0; i < images.length; i++) {
    const d = images[i].data;
    const base = i * per;
    for (let p = 0; p < width * height; p++) {
      for (let c = 0; c < channels; c++) x[base + p * channels + c] = d[p * 4 + c] / 255;
    }
    y[i] = files[i].label;
  }
  return {
    name: `images:${dir}`,
    task: 'classification',
    count: images.length,
    inputShape: [height, width, channels],
    x,
    y,
    targetShape: [],
    numClasses: classes.length,
    classNames: classes,
    isImage: true,
  };
}
