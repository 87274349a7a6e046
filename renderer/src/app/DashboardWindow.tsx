/**
 * A dashboard alone in a window (Electron's "Open in window", or the page URL with
 * `dashboard=<kind>&project=<name>`): the Training, Runs or Search panel of one project with
 * the whole window, as in the full-window dashboard. It holds no document of its own: it
 * reads the project's runs through the engine, and the Training dashboard switches to a run
 * the main window starts.
 */
import { useEffect } from 'react';
import { useConnectionStatus, useEngine } from '../engine/engine-context.js';
import { trainingSession } from '../features/training/training-session.js';
import { emptyDocument, useDocumentStore } from '../store/document-store.js';
import '../ui/dashboard-full.css';
import type { DashboardKind } from '../../../electron/host-api.js';
import { DashboardRoomProvider } from './DashboardRoom.js';
import { sidePanels } from './side-panels.js';
import { Toasts } from './Toasts.js';

/** How often the Training window looks for a run started elsewhere. */
const FOLLOW_MS = 2000;

/** The dashboard and project a page URL asks for, if it is a dashboard window. */
export function dashboardOfUrl(search: string): { dashboard: DashboardKind; project: string } | null {
  const q = new URLSearchParams(search);
  const dashboard = q.get('dashboard');
  if (dashboard !== 'training' && dashboard !== 'runs' && dashboard !== 'search') return null;
  return { dashboard, project: q.get('project') || 'untitled' };
}

/** The window. */
export function DashboardWindow({ dashboard, project }: { dashboard: DashboardKind; project: string }) {
  const engine = useEngine();
  const status = useConnectionStatus();
  const panel = sidePanels.find((p) => p.id === dashboard);
  // The panels name their project after the open document: an empty one of that name.
  useEffect(() => useDocumentStore.getState().load(emptyDocument(project), null), [project]);
  useEffect(() => {
    if (dashboard !== 'training') return;
    const timer = setInterval(
      () =>
        void trainingSession(engine)
          .followNewer(project)
          .catch(() => undefined),
      FOLLOW_MS,
    );
    return () => clearInterval(timer);
  }, [engine, dashboard, project]);
  useEffect(() => void (document.title = `${panel?.title ?? dashboard} — ${project} — Layerloom`), [panel, dashboard, project]);
  if (!panel) return null;
  return (
    <div className="app dashboard-window" data-testid="dashboard-window" data-dashboard={dashboard}>
      <header className="toolbar">
        <strong className="brand">Layerloom</strong>
        <span>
          {panel.title} · <strong data-testid="dashboard-window-project">{project}</strong>
        </span>
        <span className={`status status-${status}`} data-testid="engine-status" style={{ marginLeft: 'auto' }}>
          engine: {status}
        </span>
      </header>
      <div className={`dashboard-full dashboard-full-body dashboard-full-${dashboard}`} style={{ position: 'relative' }}>
        <DashboardRoomProvider value={true}>
          <panel.Component />
        </DashboardRoomProvider>
      </div>
      <Toasts />
    </div>
  );
}
