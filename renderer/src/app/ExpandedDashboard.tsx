/**
 * A dashboard (Training, Runs, Search) drawn over the whole workspace: its panel laid out as
 * a grid with room for charts, the confusion matrix and the trials table. The canvas stays
 * mounted underneath, so collapsing (the button, Escape, the shortcut) brings it back as it was.
 */
import { hostBridge } from '../engine/address.js';
import { projectOf } from '../features/training/settings.js';
import { useDocumentStore } from '../store/document-store.js';
import { DashboardRoomProvider } from './DashboardRoom.js';
import { useLayoutStore, type DashboardId } from './layout-store.js';
import { sidePanels } from './side-panels.js';

const DASHBOARDS: DashboardId[] = ['training', 'runs', 'search'];

/** The full-window dashboard, or nothing while the canvas is shown. */
export function ExpandedDashboard({ shortcut }: { shortcut?: string }) {
  const expanded = useLayoutStore((s) => s.expanded);
  const project = useDocumentStore((s) => projectOf(s.fileName, s.doc.name));
  const host = hostBridge();
  if (!expanded) return null;
  const panel = sidePanels.find((p) => p.id === expanded);
  if (!panel) return null;
  const { expand, collapse } = useLayoutStore.getState();
  return (
    <section className="dashboard-full" data-testid="dashboard-full" data-dashboard={expanded} aria-label={`${panel.title} dashboard`}>
      <header className="dashboard-full-head">
        <nav className="dashboard-full-tabs">
          {DASHBOARDS.map((id) => (
            <button key={id} type="button" className={id === expanded ? 'active' : ''} onClick={() => expand(id)} data-testid={`dashboard-full-tab-${id}`}>
              {sidePanels.find((p) => p.id === id)?.title ?? id}
            </button>
          ))}
        </nav>
        {host ? (
          <button
            type="button"
            className="btn"
            onClick={() => {
              void host.openDashboardWindow(expanded, project);
              collapse();
            }}
            title="Open this dashboard in a window of its own (it follows the project's runs)"
            data-testid="dashboard-open-window"
          >
            Open in window
          </button>
        ) : null}
        <button
          type="button"
          className="btn"
          onClick={collapse}
          title={`Back to the canvas (Escape${shortcut ? ` or ${shortcut}` : ''})`}
          data-testid="dashboard-collapse"
        >
          Back to canvas
        </button>
      </header>
      <div className={`dashboard-full-body dashboard-full-${expanded}`}>
        <DashboardRoomProvider value={true}>
          <panel.Component />
        </DashboardRoomProvider>
      </div>
    </section>
  );
}
