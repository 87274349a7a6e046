/**
 * One sample as a small image for the UI (dataset previews, misclassified samples): 8-bit
 * pixels in height × width × channels order. Values already in [0, 1] are scaled by 255;
 * anything else (standardised features, raw 0..255) is stretched from its own min to max.
 */

/** A sample drawn as pixels. */
export interface SampleImage {
  width: number;
  height: number;
  /** 1 (grey), 3 (RGB) or 4 (RGBA). */
  channels: number;
  /** `height * width * channels` integers in 0..255, row-major. */
  pixels: number[];
}

/** True when samples of this shape can be drawn: [height, width, 1 | 3 | 4]. */
export function isImageShape(shape: readonly number[]): boolean {
  return shape.length === 3 && [1, 3, 4].includes(shape[2]);
}

/** The sample's pixels, or null when its shape is not an image. */
export function sampleImage(values: ArrayLike<number>, shape: readonly number[]): SampleImage | null {
  if (!isImageShape(shape)) return null;
  const [height, width, channels] = shape;
  const n = height * width * channels;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const unit = lo >= 0 && hi <= 1;
  const scale = unit ? 255 : hi > lo ? 255 / (hi - lo) : 0;
  const offset = unit ? 0 : lo;
  const pixels = new Array<number>(n);
  for (let i = 0; i < n; i++) pixels[i] = Math.max(0, Math.min(255, Math.round((values[i] - offset) * scale)));
  return { width, height, channels, pixels };
}
