/**
 * Saving what the training views draw as PNG files: a uPlot chart (its canvas holds the plot
 * and axes; title and legend are HTML, so they are drawn again here) and the confusion
 * matrix (drawn on a canvas of its own). Files are downloaded through a blob URL.
 */
import type uPlot from 'uplot';

const FONT = '13px system-ui, sans-serif';

/** A canvas as PNG bytes. */
function toBlob(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the browser could not encode the PNG'))), 'image/png'));
}

/** `Validation loss` → `validation-loss`. */
export function fileSlug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'chart'
  );
}

/** Starts a browser download of `href` saved as `name`. */
export function downloadHref(href: string, name: string): void {
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
}

/** Offers `blob` as a download named `name`. */
export function downloadBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  downloadHref(url, name);
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A chart with its title above and its legend (label, colour) below, on white. */
export function chartPng(u: uPlot, title: string, legend: { label: string; color: string }[]): Promise<Blob> {
  const src = u.ctx.canvas;
  const dpr = src.width / Math.max(1, u.width);
  const cols = 2;
  const line = 20;
  const out = document.createElement('canvas');
  out.width = src.width;
  out.height = src.height + line * dpr * (1.5 + Math.ceil(legend.length / cols));
  const ctx = out.getContext('2d')!;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.drawImage(src, 0, line * dpr);
  ctx.scale(dpr, dpr);
  ctx.fillStyle = '#1d232b';
  ctx.font = `600 ${FONT}`;
  ctx.fillText(title, 8, 15);
  ctx.font = FONT;
  const top = src.height / dpr + line + 14;
  legend.forEach((s, i) => {
    const x = 8 + (i % cols) * (u.width / cols);
    const y = top + Math.floor(i / cols) * line;
    ctx.fillStyle = s.color;
    ctx.fillRect(x, y - 6, 12, 4);
    ctx.fillStyle = '#1d232b';
    ctx.fillText(s.label, x + 16, y);
  });
  return toBlob(out);
}

/** The confusion matrix as a heat-coloured grid with counts, true classes down, predictions across. */
export function confusionPng(matrix: number[][], labels: string[]): Promise<Blob> {
  const n = matrix.length;
  const cell = n > 20 ? 18 : 32;
  const pad = 60;
  const scale = 2;
  const out = document.createElement('canvas');
  out.width = (pad + n * cell + 10) * scale;
  out.height = (pad + n * cell + 10) * scale;
  const ctx = out.getContext('2d')!;
  ctx.scale(scale, scale);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.font = '11px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillStyle = '#1d232b';
  ctx.fillText('predicted →', pad + (n * cell) / 2, 12);
  ctx.save();
  ctx.translate(12, pad + (n * cell) / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.fillText('true →', 0, 0);
  ctx.restore();
  for (let t = 0; t < n; t++) {
    const total = matrix[t].reduce((a, b) => a + b, 0) || 1;
    ctx.fillStyle = '#1d232b';
    ctx.fillText(labels[t] ?? String(t), pad - 14, pad + t * cell + cell / 2);
    ctx.fillText(labels[t] ?? String(t), pad + t * cell + cell / 2, pad - 14);
    for (let p = 0; p < n; p++) {
      const share = matrix[t][p] / total;
      ctx.fillStyle = cellColor(share, t === p);
      ctx.fillRect(pad + p * cell, pad + t * cell, cell - 1, cell - 1);
      if (matrix[t][p]) {
        ctx.fillStyle = share > 0.5 ? '#fff' : '#1d232b';
        ctx.fillText(String(matrix[t][p]), pad + p * cell + cell / 2, pad + t * cell + cell / 2);
      }
    }
  }
  return toBlob(out);
}

/** Colour of a confusion-matrix cell holding `share` of its row: blue on the diagonal, red off it. */
export function cellColor(share: number, diagonal: boolean): string {
  if (share === 0) return '#f6f7f9';
  const light = Math.round(95 - 55 * Math.min(1, share));
  return diagonal ? `hsl(217 70% ${light}%)` : `hsl(4 75% ${light}%)`;
}
