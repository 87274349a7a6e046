/** The evolution's family tree: each child under its parent, labelled with the decision it changed. */
import { useMemo } from 'react';
import { layoutFamily } from './family-tree.js';
import { formatMetric } from './format.js';
import type { TrialViewProps } from './types.js';

const ROW = 20;
const INDENT = 16;

/** An indented SVG tree, one row per trial. */
export function FamilyTree({ trials, bestTrialId, selectedId, onSelect }: Omit<TrialViewProps, 'objectives'>) {
  const rows = useMemo(() => layoutFamily(trials), [trials]);
  const maxDepth = rows.reduce((m, r) => Math.max(m, r.depth), 0);
  const width = 12 + maxDepth * INDENT + 260;
  return (
    <div className="family-tree" data-testid="family-tree">
      <svg width={width} height={rows.length * ROW + 4} role="tree" aria-label="Family tree of the evolution">
        {rows.map((r) =>
          r.parentRow === null ? null : (
            <path
              key={`l${r.trialId}`}
              className="link"
              d={`M ${8 + (r.depth - 1) * INDENT} ${r.parentRow * ROW + ROW / 2 + 5} V ${r.row * ROW + ROW / 2} H ${4 + r.depth * INDENT}`}
            />
          ),
        )}
        {rows.map((r) => {
          const x = 8 + r.depth * INDENT;
          const y = r.row * ROW + ROW / 2;
          const cls = ['node', r.status !== 'ok' && 'not-ok', r.trialId === bestTrialId && 'best', r.trialId === selectedId && 'selected']
            .filter(Boolean)
            .join(' ');
          return (
            <g
              key={r.trialId}
              className={cls}
              transform={`translate(${x} ${y})`}
              onClick={() => onSelect(r.trialId)}
              role="treeitem"
              aria-level={r.depth + 1}
              data-testid={`family-node-${r.trialId}`}
            >
              <circle r={5} />
              <text x={10} y={4}>
                #{r.trialId} {r.status === 'ok' ? formatMetric('objective', r.objective) : r.status}
                {r.change && <tspan className="change"> · {r.change}</tspan>}
              </text>
            </g>
          );
        })}
      </svg>
    </div>
  );
}
