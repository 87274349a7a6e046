/**
 * Objective against a chosen cost (params, FLOPs, duration, latency), every successful trial
 * a point, the Pareto front as a staircase (uPlot). Over each point sits a button (drawn into
 * uPlot's plotting-area layer), so every point can be clicked, focused and named by tests
 * (`pareto-point-<trialId>`); the front is also listed below the plot.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatMetric } from './format.js';
import { alignedScatter, scatterModel, type AlignedScatter } from './scatter.js';
import { availableAxes, costAxes, type CostAxis } from './trials.js';
import type { TrialViewProps } from './types.js';

const HEIGHT = 200;

function plotOptions(width: number, axis: CostAxis, yLabel: string, logX: boolean, onDraw: (u: uPlot) => void): uPlot.Options {
  const style = getComputedStyle(document.documentElement);
  const accent = style.getPropertyValue('--accent').trim() || '#2f6fdb';
  const muted = style.getPropertyValue('--muted').trim() || '#667085';
  return {
    width,
    height: HEIGHT,
    legend: { show: false },
    cursor: { drag: { x: false, y: false }, points: { show: false } },
    scales: { x: { time: false, distr: logX ? 3 : 1 } },
    axes: [
      { label: axis.label, size: 36, labelSize: 14, values: (_u, vals) => vals.map((v) => formatMetric(axis.id, v)) },
      { label: yLabel, size: 44, labelSize: 14 },
    ],
    series: [
      {},
      { label: 'trials', stroke: muted, paths: () => null, points: { show: true, size: 6, fill: muted, stroke: muted } },
      {
        label: 'Pareto front',
        stroke: accent,
        width: 2,
        spanGaps: true,
        paths: uPlot.paths.stepped!({ align: 1 }),
        points: { show: true, size: 8, fill: accent, stroke: accent },
      },
    ],
    hooks: { draw: [onDraw] },
  };
}

/** The scatter with its Pareto front. */
export function ParetoScatter({ trials, objectives, bestTrialId, selectedId, onSelect }: TrialViewProps) {
  const axes = availableAxes(trials);
  const [axisId, setAxisId] = useState<CostAxis['id']>('params');
  const axis = axes.find((a) => a.id === axisId) ?? axes[0] ?? costAxes[0];
  const model = useMemo(() => scatterModel(trials, axis, objectives), [trials, axis, objectives]);
  const aligned = useMemo(() => alignedScatter(model), [model]);
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const shown = useRef<AlignedScatter>(aligned);
  const [over, setOver] = useState<HTMLElement | null>(null);
  const [positions, setPositions] = useState<{ id: number; left: number; top: number }[]>([]);
  const hasPoints = aligned.xs.length > 0;

  // New data goes to the chart in place (declared first, so a rebuild below starts from it).
  useEffect(() => {
    shown.current = aligned;
    plot.current?.setData([aligned.xs, aligned.ys, aligned.front]);
  }, [aligned]);

  // The chart is rebuilt when its axes change.
  useEffect(() => {
    const el = box.current;
    if (!el || !hasPoints) return;
    const onDraw = (u: uPlot) => {
      const a = shown.current;
      setPositions(a.ids.map((id, i) => ({ id, left: u.valToPos(a.xs[i], 'x'), top: u.valToPos(a.ys[i], 'y') })));
    };
    const u = new uPlot(
      plotOptions(Math.max(200, el.clientWidth), axis, model.yLabel, aligned.logX, onDraw),
      [shown.current.xs, shown.current.ys, shown.current.front],
      el,
    );
    plot.current = u;
    setOver(u.over);
    const resize = new ResizeObserver(() => u.setSize({ width: Math.max(200, el.clientWidth), height: HEIGHT }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.current = null;
      setOver(null);
      u.destroy();
    };
  }, [axis, model.yLabel, aligned.logX, hasPoints]);

  const onFront = new Set(model.front.map((p) => p.id));
  const byId = new Map(model.points.map((p) => [p.id, p]));
  const describe = (id: number) => {
    const p = byId.get(id);
    return p
      ? `Trial #${id}: ${model.yLabel} ${formatMetric(model.yLabel, p.y)}, ${axis.label} ${formatMetric(axis.id, p.cost)}${onFront.has(id) ? ' (Pareto front)' : ''}`
      : `Trial #${id}`;
  };

  return (
    <div className="scatter">
      <label className="search-field inline">
        <span>Cost axis</span>
        <select value={axis.id} onChange={(e) => setAxisId(e.target.value as CostAxis['id'])} data-testid="scatter-axis">
          {(axes.length > 0 ? axes : costAxes).map((a) => (
            <option key={a.id} value={a.id}>
              {a.label}
            </option>
          ))}
        </select>
      </label>
      {!hasPoints && <p className="muted">No successful trial with a {axis.label} value yet.</p>}
      <div ref={box} className="scatter-plot" />
      {over &&
        createPortal(
          positions.map(({ id, left, top }) => (
            <button
              key={id}
              className={['point', onFront.has(id) && 'front', id === bestTrialId && 'best', id === selectedId && 'selected'].filter(Boolean).join(' ')}
              style={{ left, top }}
              onClick={() => onSelect(id)}
              title={describe(id)}
              aria-label={describe(id)}
              data-testid={`pareto-point-${id}`}
            />
          )),
          over,
        )}
      {model.front.length > 0 && (
        <div className="front-list">
          <span className="muted">Pareto front:</span>
          {model.front.map((p) => (
            <button
              key={p.id}
              className={p.id === selectedId ? 'chip selected' : 'chip'}
              onClick={() => onSelect(p.id)}
              title={describe(p.id)}
              data-testid={`pareto-item-${p.id}`}
            >
              #{p.id}
              {p.id === bestTrialId ? ' ★' : ''} {formatMetric(model.yLabel, p.y)} · {formatMetric(axis.id, p.cost)}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
