/**
 * A Cell node: compact like a layer, with a button that opens its NAS-Bench-201 DAG (4 nodes,
 * 6 edges, each edge choosing among the NB201 ops). Open, each edge lists its op choice set
 * with the op of the candidate shown marked, and while a weight-sharing search runs, the
 * per-op probabilities of the decision `<cell>.<i->j>` drawn as heat.
 */
import type { NodeProps } from '@xyflow/react';
import { memo, type CSSProperties } from 'react';
import { NB201_EDGES, NB201_OPS } from '../../../../nas/space/nb201.js';
import { useViewStore } from '../../store/view-store.js';
import { decisionHeat, heatColor } from './heat.js';
import { NodeShell } from './LayerNode.js';
import type { LayerFlowNode } from './to-flow.js';

/** Short names of the NB201 ops as the canvas labels them. */
export const OP_LABELS: Record<string, string> = {
  none: 'none',
  skip_connect: 'skip',
  nor_conv_1x1: 'conv1x1',
  nor_conv_3x3: 'conv3x3',
  avg_pool_3x3: 'avgpool3x3',
};

/** Node j of the DAG drawn at (x, y). */
const at = (j: number) => ({ x: 22, y: 16 + j * 52 });

/** The SVG path of edge i->j: straight between neighbours, an arc to the right otherwise. */
function edgePath(i: number, j: number): string {
  const a = at(i);
  const b = at(j);
  if (j === i + 1) return `M${a.x},${a.y} L${b.x},${b.y}`;
  const bulge = 26 * (j - i);
  return `M${a.x},${a.y} C${a.x + bulge},${a.y} ${b.x + bulge},${b.y} ${b.x},${b.y}`;
}

/** The opened DAG of cell `id`; `ops` are the ops of the candidate shown (NB201_EDGES order). */
export function CellDag({ id, ops }: { id: string; ops: readonly string[] }) {
  const probs = useViewStore((s) => s.choiceHeat);
  const edges = NB201_EDGES.map((name, k) => {
    const [i, j] = name.split('->').map(Number);
    const p = probs[`${id}.${name}`];
    return { name, i, j, p, heat: p ? decisionHeat({ kind: 'cell' }, p) : null, shown: ops[k] };
  });
  return (
    <div className="cell-dag nodrag" data-testid={`cell-dag-${id}`}>
      <svg width="110" height="196" viewBox="0 0 110 196" aria-label={`NB201 DAG of ${id}`}>
        {edges.map((e) => (
          <path
            key={e.name}
            d={edgePath(e.i, e.j)}
            className="cell-dag-edge"
            style={e.heat !== null ? { stroke: heatColor(e.heat), strokeWidth: 1.5 + 3 * e.heat } : undefined}
          >
            <title>{`${e.name} ∈ {${NB201_OPS.map((o) => OP_LABELS[o]).join(', ')}}`}</title>
          </path>
        ))}
        {[0, 1, 2, 3].map((j) => (
          <g key={j} transform={`translate(${at(j).x},${at(j).y})`}>
            <circle r="10" className="cell-dag-node" />
            <text textAnchor="middle" dy="4">
              {j}
            </text>
          </g>
        ))}
      </svg>
      <ol className="cell-edges">
        {edges.map((e) => (
          <li
            key={e.name}
            data-testid={`cell-edge-${id}-${e.i}-${e.j}`}
            style={e.heat !== null ? ({ '--heat': heatColor(e.heat) } as CSSProperties) : undefined}
            className={e.heat !== null ? 'heated' : undefined}
          >
            <span className="cell-edge-name">{e.name.replace('->', '→')}</span>
            <span className="cell-ops">
              {'{'}
              {NB201_OPS.map((o, k) => (
                <span key={o}>
                  <span
                    className={o === e.shown ? 'cell-op shown' : 'cell-op'}
                    style={e.p?.[o] !== undefined ? { background: heatColor(e.p[o]) } : undefined}
                    title={e.p?.[o] !== undefined ? `${OP_LABELS[o]}: p = ${e.p[o].toFixed(2)}` : o === e.shown ? 'the op in the candidate shown' : undefined}
                  >
                    {OP_LABELS[o]}
                  </span>
                  {k < NB201_OPS.length - 1 ? ', ' : ''}
                </span>
              ))}
              {'}'}
            </span>
          </li>
        ))}
      </ol>
    </div>
  );
}

function CellNodeView({ id, data, selected }: NodeProps<LayerFlowNode>) {
  const toggle = useViewStore((s) => s.toggleCell);
  const open = data.cell?.open ?? false;
  return (
    <NodeShell id={id} data={data} selected={selected} className={`layer-node cell-node${open ? ' open' : ''}`}>
      <div className="layer-node-params cell-line">
        NB201 · 6 edges × 5 ops{data.summary ? ` · ${data.summary}` : ''}
        <button type="button" className="cell-toggle nodrag" onClick={() => toggle(id)} aria-expanded={open} data-testid={`cell-toggle-${id}`}>
          {open ? 'Close' : 'Open'} DAG
        </button>
      </div>
      {open ? <CellDag id={id} ops={data.cell?.ops ?? []} /> : null}
    </NodeShell>
  );
}

/** The Cell node component (memoized). */
export const CellNode = memo(CellNodeView);
