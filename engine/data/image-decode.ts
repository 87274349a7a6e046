/**
 * Decodes PNG/JPEG files to RGBA pixels (pngjs, jpeg-js) and resizes them, for the image
 * folder loader. Pure typed arrays, no native image libraries.
 */
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { dataError } from './common.js';

/** An RGBA image, 4 bytes per pixel, row-major. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** How images of another size are brought to the target size. */
export type ResizeMethod = 'nearest' | 'bilinear';

/**
 * Decodes a PNG or JPEG by its content signature (not its extension). Any decoder failure
 * becomes a DataError naming the file, so one corrupt image is easy to find in a large folder.
 */
export function decodeImage(bytes: Uint8Array, file: string): RgbaImage {
  const isPng = bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
  const isJpeg = bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  try {
    if (isPng) {
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return { width: png.width, height: png.height, data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
    }
    if (isJpeg) {
      const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 512 });
      return { width: img.width, height: img.height, data: img.data };
    }
  } catch (e) {
    throw dataError(file, 'byte 0', `corrupt image: ${(e as Error).message}`);
  }
  throw dataError(file, 'byte 0', 'not a PNG or JPEG file (unrecognised signature)');
}

/** True when every pixel has r == g == b (alpha ignored). */
export function isGray(img: RgbaImage): boolean {
  const d = img.data;
  for (let i = 0; i < d.length; i += 4) if (d[i] !== d[i + 1] || d[i] !== d[i + 2]) return false;
  return true;
}

/** Resizes an RGBA image; returns the input unchanged when the size already matches. */
export function resizeRgba(img: RgbaImage, width: number, height: number, method: ResizeMethod): RgbaImage {
  if (img.width === width && img.height === height) return img;
  const out = new Uint8Array(width * height * 4);
  const sx = img.width / width;
  const sy = img.height / height;
  const src = img.data;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      if (method === 'nearest') {
        const ix = Math.min(img.width - 1, Math.floor((x + 0.5) * sx));
        const iy = Math.min(img.height - 1, Math.floor((y + 0.5) * sy));
        const s = (iy * img.width + ix) * 4;
        for (let c = 0; c < 4; c++) out[o + c] = src[s + c];
        continue;
      }
      // Bilinear with pixel centres aligned (the half-pixel convention used by most libraries).
      const fx = Math.max(0, Math.min(img.width - 1, (x + 0.5) * sx - 0.5));
      const fy = Math.max(0, Math.min(img.height - 1, (y + 0.5) * sy - 0.5));
      const x0 = Math.floor(fx);
      const y0 = Math.floor(fy);
      const x1 = Math.min(img.width - 1, x0 + 1);
      const y1 = Math.min(img.height - 1, y0 + 1);
      const ax = fx - x0;
      const ay = fy - y0;
      for (let c = 0; c < 4; c++) {
        const p00 = src[(y0 * img.width + x0) * 4 + c];
        const p01 = src[(y0 * img.width + x1) * 4 + c];
        const p10 = src[(y1 * img.width + x0) * 4 + c];
        const p11 = src[(y1 * img.width + x1) * 4 + c];
        const top = p00 + (p01 - p00) * ax;
        const bottom = p10 + (p11 - p10) * ax;
        out[o + c] = Math.round(top + (bottom - top) * ay);
      }
    }
  }
  return { width, height, data: out };
}
