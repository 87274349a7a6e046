/** A sample's pixels drawn on a small canvas, scaled up without smoothing. */
import { useEffect, useRef } from 'react';
import type { Result } from '../../../../engine/server/protocol/index.js';

/** A sample drawn as pixels (dataset previews, misclassified samples). */
export type SampleImageData = NonNullable<Result<'datasets.preview'>['samples'][number]['image']>;

/** The image at `size` CSS pixels on its longer side. */
export function SampleImage({ image, size = 40, title }: { image: SampleImageData; size?: number; title?: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current!;
    const { width, height, channels, pixels } = image;
    canvas.width = width;
    canvas.height = height;
    const ctx = canvas.getContext('2d')!;
    const data = ctx.createImageData(width, height);
    for (let i = 0; i < width * height; i++) {
      const px = pixels.slice(i * channels, i * channels + channels);
      const [r, g, b] = channels >= 3 ? px : [px[0], px[0], px[0]];
      data.data.set([r, g, b, channels === 4 ? px[3] : 255], i * 4);
    }
    ctx.putImageData(data, 0, 0);
  }, [image]);
  const scale = size / Math.max(image.width, image.height);
  return <canvas ref={ref} className="sample-image" style={{ width: image.width * scale, height: image.height * scale }} title={title} />;
}
