/**
 * The always-visible summary of the open document as a search space: number of candidates,
 * smallest and largest params and FLOPs, and the pre-launch shape check with the failing
 * decision values marked. Clicking a failure heats the parts it blames on the canvas.
 */
import { useEffect, useRef, useState } from 'react';
import { useEngine } from '../../engine/engine-context';
import { documentText, useDocumentStore } from '../../store/document-store';
import { useViewStore } from '../../store/view-store';
import { formatFlops } from '../canvas/node-summary';
import { blameHeat } from './heat';
import { useSummaryStore } from './summary-store';
import type { SpaceSummaryInfo } from './types';

/** `5.4k – 27.1k`, or one value when both ends are equal. */
function range(min: number, max: number): string {
  return min === max ? formatFlops(min) : `${formatFlops(min)} – ${formatFlops(max)}`;
}

/** Milliseconds of quiet after an edit before the summary is asked again. */
const DEBOUNCE_MS = 350;

/** Keeps the summary store in step with the document (debounced on its revision). */
export function useSpaceSummary() {
  const client = useEngine();
  const revision = useDocumentStore((s) => s.revision);
  useEffect(() => {
    const t = setTimeout(() => void useSummaryStore.getState().request(client, documentText()), revision === 0 ? 0 : DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [client, revision]);
  return useSummaryStore();
}

/** The space summary box. */
export function SpaceSummary() {
  const { summary, loading, error } = useSpaceSummary();
  return (
    <section className="search-box space-summary" data-testid="space-summary" aria-busy={loading}>
      <h3>
        Search space {loading && <span className="muted">· checking…</span>}
      </h3>
      {error && <p className="search-error">Cannot summarize the space: {error}</p>}
      {summary && <SummaryBody summary={summary} />}
    </section>
  );
}

function SummaryBody({ summary: s }: { summary: SpaceSummaryInfo }) {
  const doc = useDocumentStore((st) => st.doc);
  const [blamed, setBlamed] = useState<number | null>(null);
  const heated = useRef(false);
  // A new summary invalidates the highlighted failure, and its heat on the canvas.
  useEffect(() => {
    setBlamed(null);
    if (heated.current) useViewStore.getState().setHeat({}, {});
    heated.current = false;
  }, [s]);

  const highlight = (i: number | null) => {
    setBlamed(i);
    heated.current = i !== null;
    const view = useViewStore.getState();
    if (i === null) return view.setHeat({}, {});
    const { nodeHeat, edgeHeat } = blameHeat(s.decisions, s.check.failures[i].decisions, doc);
    view.setHeat(nodeHeat, edgeHeat);
  };

  if (s.error) {
    const where = Object.entries(s.error.where).map(([k, v]) => `${k} ${v}`);
    return (
      <p className="search-error" data-testid="space-error">
        {s.error.message}
        {where.length > 0 && <span className="muted"> ({where.join(', ')})</span>}
      </p>
    );
  }
  const x = s.extremes;
  const failures = s.check.failures;
  return (
    <>
      <div className="space-stats">
        <span>
          <strong data-testid="space-size" title={s.size.toLocaleString()}>
            {s.size}
          </strong>{' '}
          candidate{s.size === 1 ? '' : 's'} · {s.decisions.length} decision{s.decisions.length === 1 ? '' : 's'}
        </span>
        {!s.searchable && <span className="muted">a concrete graph: nothing to search</span>}
        {x && (
          <>
            <span data-testid="space-params">params {range(x.minParams.params, x.maxParams.params)}</span>
            <span data-testid="space-flops">
              FLOPs {range(x.minFlops.flops, x.maxFlops.flops)}
              {!x.exhaustive && <span className="muted"> (sampled)</span>}
            </span>
          </>
        )}
      </div>
      <div className={failures.length > 0 ? 'shape-check failing' : 'shape-check ok'} data-testid="shape-check">
        {failures.length === 0
          ? `Shape check: all ${s.check.checked} checked candidate${s.check.checked === 1 ? '' : 's'} fit`
          : `Shape check: ${failures.length}${failures.length === 50 ? '+' : ''} of ${s.check.checked} checked candidates fail`}
      </div>
      {failures.length > 0 && (
        <ul className="failures">
          {failures.slice(0, 8).map((f, i) => (
            <li key={i}>
              <button className={blamed === i ? 'failure active' : 'failure'} onClick={() => highlight(blamed === i ? null : i)} data-testid={`shape-failure-${i}`} title="Highlight the blamed parts on the canvas">
                <span className="sample">
                  {Object.entries(f.sample).map(([name, v]) => (
                    <span key={name} className={f.decisions.includes(name) ? 'blamed' : undefined}>
                      {name}={String(v)}
                    </span>
                  ))}
                </span>
                <span className="message">{f.message}</span>
              </button>
            </li>
          ))}
          {failures.length > 8 && <li className="muted">…and {failures.length - 8} more</li>}
        </ul>
      )}
    </>
  );
}
