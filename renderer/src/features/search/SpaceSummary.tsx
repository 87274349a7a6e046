/**
 * The always-visible summary of the open document as a search space: number of candidates,
 * smallest and largest params and FLOPs, and the pre-launch shape check with the failing
 * decision values marked. Clicking a failure heats the parts it blames on the canvas; the
 * blamed values are also marked on their nodes and edges, and any failing, smallest or largest
 * candidate can be shown on the canvas (its shapes and errors).
 *
 * While the document is a search space the summary sits permanently above the side panel's
 * tabs (SpaceSummaryStrip); otherwise the Search tab shows it. Only one is on the page.
 */
import { useEffect, useRef, useState } from 'react';
import { useEngine } from '../../engine/engine-context.js';
import { useDocumentStore } from '../../store/document-store.js';
import { hasSearchableParts } from '../../../../nas/space/drawn-parse.js';
import { noCheckMarks, useViewStore } from '../../store/view-store.js';
import { formatFlops } from '../canvas/node-summary.js';
import { blameHeat, failureMarks } from './heat.js';
import { summaryText, useSummaryStore } from './summary-store.js';
import type { SpaceSummaryInfo } from './types.js';
import './search.css';

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
    const text = () => summaryText(useDocumentStore.getState().doc);
    const t = setTimeout(() => void useSummaryStore.getState().request(client, text()), revision === 0 ? 0 : DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [client, revision]);
  return useSummaryStore();
}

/** True when the open document is a search space (it then has the permanent summary strip). */
export function useDocumentSearchable(): boolean {
  return useDocumentStore((s) => hasSearchableParts(s.doc));
}

/** The permanent space summary above the side panel's tabs, while the document is a search space. */
export function SpaceSummaryStrip() {
  const searchable = useDocumentSearchable();
  if (!searchable) return null;
  return (
    <div className="search-panel space-strip" data-testid="space-strip">
      <SpaceSummary />
    </div>
  );
}

/** Marks the parts the shape check blames on the canvas while this summary is shown. */
function useCheckMarks(summary: SpaceSummaryInfo | null) {
  const doc = useDocumentStore((s) => s.doc);
  useEffect(() => {
    const marks = summary ? failureMarks(summary.decisions, summary.check.failures, doc) : noCheckMarks;
    useViewStore.getState().setCheckMarks(marks);
  }, [summary, doc]);
  useEffect(() => () => useViewStore.getState().setCheckMarks(noCheckMarks), []);
}

/** The space summary box. */
export function SpaceSummary() {
  const { summary, loading, error } = useSpaceSummary();
  useCheckMarks(summary);
  return (
    <section className="search-box space-summary" data-testid="space-summary" aria-busy={loading}>
      <h3>Search space {loading && <span className="muted">· checking…</span>}</h3>
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
  const show = (sample: SpaceSummaryInfo['check']['failures'][number]['sample'] | null) => useViewStore.getState().setCandidate(sample);
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
      {s.searchable ? <CandidatePicker extremes={x} onShow={show} /> : null}
      <div className={failures.length > 0 ? 'shape-check failing' : 'shape-check ok'} data-testid="shape-check">
        {failures.length === 0
          ? `Shape check: all ${s.check.checked} checked candidate${s.check.checked === 1 ? '' : 's'} fit`
          : `Shape check: ${failures.length}${failures.length === 50 ? '+' : ''} of ${s.check.checked} checked candidates fail`}
      </div>
      {failures.length > 0 && (
        <ul className="failures">
          {failures.slice(0, 8).map((f, i) => (
            <li key={i}>
              <button
                className={blamed === i ? 'failure active' : 'failure'}
                onClick={() => highlight(blamed === i ? null : i)}
                data-testid={`shape-failure-${i}`}
                title="Highlight the blamed parts on the canvas"
              >
                <span className="sample">
                  {Object.entries(f.sample).map(([name, v]) => (
                    <span key={name} className={f.decisions.includes(name) ? 'blamed' : undefined}>
                      {name}={String(v)}
                    </span>
                  ))}
                </span>
                <span className="message">{f.message}</span>
              </button>
              <button
                className="link-button"
                onClick={() => show(f.sample)}
                data-testid={`shape-failure-show-${i}`}
                title="Show this candidate's shapes and errors on the canvas"
              >
                show on canvas
              </button>
            </li>
          ))}
          {failures.length > 8 && <li className="muted">…and {failures.length - 8} more</li>}
        </ul>
      )}
    </>
  );
}

/** Which candidate the canvas shows shapes for: the default one, the smallest or the largest. */
function CandidatePicker({
  extremes,
  onShow,
}: {
  extremes: SpaceSummaryInfo['extremes'];
  onShow(sample: Record<string, string | number | boolean> | null): void;
}) {
  const candidate = useViewStore((st) => st.candidate);
  const which =
    candidate === null
      ? 'the default candidate (first options)'
      : extremes && candidate === extremes.minParams.sample
        ? 'the smallest candidate'
        : extremes && candidate === extremes.maxParams.sample
          ? 'the largest candidate'
          : 'a chosen candidate';
  return (
    <div className="space-candidate" data-testid="space-candidate">
      <span className="muted">Canvas shows {which}:</span>
      <button className="chip" onClick={() => onShow(null)} data-testid="space-show-default">
        default
      </button>
      {extremes ? (
        <>
          <button className="chip" onClick={() => onShow(extremes.minParams.sample)} data-testid="space-show-min">
            smallest
          </button>
          <button className="chip" onClick={() => onShow(extremes.maxParams.sample)} data-testid="space-show-max">
            largest
          </button>
        </>
      ) : null}
    </div>
  );
}
