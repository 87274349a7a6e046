/**
 * One uPlot line chart sized to its container, updated in place as data arrives (setData,
 * no rebuild), with a "PNG" button. `data-points` on the container says how many x values
 * it shows (tests watch a live chart grow).
 */
import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import { useFullRoom } from '../../app/DashboardRoom.js';
import 'uplot/dist/uPlot.min.css';
import type { Aligned } from './chart-data.js';
import { chartPng, downloadBlob, fileSlug } from './png.js';

/** How one line is drawn. */
export interface SeriesStyle {
  label: string;
  color: string;
  /** Thin, unmarked line (per-batch values); otherwise a line with a point per value. */
  thin?: boolean;
  dash?: number[];
  /** Bars (counts per class) instead of a line. */
  bars?: boolean;
}

interface Props {
  testId: string;
  title: string;
  data: Aligned;
  series: SeriesStyle[];
  xLabel?: string;
  height?: number;
  /** Fixed y range, e.g. [0, 1] for probabilities. */
  yRange?: [number, number];
  /** Log-scaled y (learning rates). */
  logY?: boolean;
  /** Fixed x range (ROC). */
  xRange?: [number, number];
}

/** Colours of the charts, in series order where nothing else applies. */
export const palette = ['#2f6fdb', '#e8590c', '#2b8a3e', '#ae3ec9', '#c92a2a', '#1098ad', '#f08c00', '#5c7cfa', '#862e9c', '#495057'];

function options(p: Props, width: number): uPlot.Options {
  const bars = p.series.some((s) => s.bars);
  return {
    width,
    height: p.height ?? 150,
    legend: { show: true, live: false },
    cursor: { drag: { x: false, y: false } },
    scales: {
      x: { time: false, ...(p.xRange ? { range: p.xRange } : bars ? { range: (_u, lo, hi) => [lo - 0.5, hi + 0.5] } : {}) },
      y: p.logY ? { distr: 3 } : p.yRange ? { range: p.yRange } : bars ? { range: (_u, _lo, hi) => [0, hi * 1.1] } : {},
    },
    axes: [
      { label: p.xLabel, labelSize: 14, size: 32, font: '11px system-ui', labelFont: '11px system-ui', ...(bars ? { incrs: [1, 2, 5, 10, 20, 50, 100] } : {}) },
      { size: 46, font: '11px system-ui' },
    ],
    series: [
      {},
      ...p.series.map((s) =>
        s.bars
          ? { label: s.label, stroke: s.color, fill: `${s.color}99`, width: 1, paths: uPlot.paths.bars!({ size: [0.7, 40] }), points: { show: false } }
          : { label: s.label, stroke: s.color, width: s.thin ? 1 : 2, dash: s.dash, spanGaps: true, points: { show: !s.thin, size: 5 } },
      ),
    ],
  };
}

/** Room the legend below the plot takes: in a full-window dashboard the plot gets the rest of its (resizable) box. */
function legendHeight(u: uPlot): number {
  return (u.root.querySelector('.u-legend') as HTMLElement | null)?.offsetHeight ?? 0;
}

/** The chart. */
export function Chart(props: Props) {
  const full = useFullRoom();
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const latest = useRef(props);
  latest.current = props;
  // Rebuild only when the look changes; new data goes through setData.
  const look = useMemo(
    () => JSON.stringify([props.series, props.xLabel, props.height, props.yRange, props.logY, props.xRange]),
    [props.series, props.xLabel, props.height, props.yRange, props.logY, props.xRange],
  );

  useEffect(() => {
    const el = box.current!;
    const u = new uPlot(options(latest.current, Math.max(200, el.clientWidth)), latest.current.data as uPlot.AlignedData, el);
    plot.current = u;
    // In the side panel the height is fixed; in a full-window dashboard it follows the box.
    const heightFor = () => (full ? Math.max(120, el.clientHeight - legendHeight(u)) : u.height);
    const ro = new ResizeObserver(() => {
      const w = Math.max(200, el.clientWidth);
      const h = heightFor();
      if (w !== u.width || h !== u.height) u.setSize({ width: w, height: h });
    });
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, [look, full]);

  useEffect(() => {
    plot.current?.setData(props.data as uPlot.AlignedData);
  }, [props.data]);

  const save = () => {
    const u = plot.current;
    const legend = props.series.map((s) => ({ label: s.label, color: s.color }));
    if (u) void chartPng(u, props.title, legend).then((b) => downloadBlob(b, `${fileSlug(props.title)}.png`));
  };

  return (
    <figure
      className="train-chart"
      data-testid={props.testId}
      data-points={props.data[0].length}
      title={full ? 'Drag the lower-right corner to resize' : undefined}
    >
      <figcaption>
        <span>{props.title}</span>
        <button type="button" className="btn btn-small" onClick={save} title="Save this chart as a PNG image" data-testid={`${props.testId}-png`}>
          PNG
        </button>
      </figcaption>
      <div ref={box} className="train-chart-plot" />
    </figure>
  );
}
