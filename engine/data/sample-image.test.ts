import { describe, expect, it } from 'vitest';
import { isImageShape, sampleImage } from './sample-image.js';

describe('sampleImage', () => {
  it('scales [0, 1] values by 255', () => {
    expect(sampleImage([0, 0.5, 1, 0.25], [2, 2, 1])).toEqual({ width: 2, height: 2, channels: 1, pixels: [0, 128, 255, 64] });
  });

  it('stretches other ranges from min to max, and a flat sample to black', () => {
    expect(sampleImage([-1, 0, 1], [1, 3, 1])!.pixels).toEqual([0, 128, 255]);
    expect(sampleImage([7, 7], [1, 2, 1])!.pixels).toEqual([0, 0]);
  });

  it('keeps colour channels and refuses non-image shapes', () => {
    const rgb = sampleImage([1, 0, 0, 0, 1, 0], [1, 2, 3])!;
    expect(rgb.channels).toBe(3);
    expect(rgb.pixels).toEqual([255, 0, 0, 0, 255, 0]);
    expect(sampleImage([1, 2, 3], [3])).toBeNull();
    expect(isImageShape([8, 8, 2])).toBe(false);
    expect(isImageShape([28, 28, 1])).toBe(true);
  });
});
