/** The banner over a read-only graph (a past run's graph, a search trial) with the way back. */
import { useViewStore } from '../../store/view-store.js';

/** Shown while the view store holds a read-only graph. */
export function ReadOnlyBanner() {
  const view = useViewStore((s) => s.readOnly);
  const exit = useViewStore((s) => s.exitReadOnly);
  if (!view) return null;
  return (
    <div className="readonly-banner" data-testid="readonly-banner" role="status">
      <span className="readonly-badge">Read-only</span>
      <span className="readonly-title">{view.title}</span>
      <button type="button" className="btn btn-primary" onClick={exit} data-testid="readonly-exit">
        Back to design
      </button>
    </div>
  );
}
