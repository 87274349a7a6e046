/** The window layout: toolbar, palette, canvas, and the side panel (a search space's summary above its tabs); a dashboard can fill the workspace. */
import { ReactFlowProvider } from '@xyflow/react';
import { useEffect } from 'react';
import { useEngine } from '../engine/engine-context';
import { Canvas } from '../features/canvas/Canvas';
import { DialogHost } from '../features/files/Dialogs';
import { startSession } from '../features/files/session';
import { Palette } from '../features/palette/Palette';
import { QuickAdd } from '../features/quick-add/QuickAdd';
import { SpaceSummaryStrip } from '../features/search';
import '../ui/dashboard-full.css';
import { ExpandedDashboard } from './ExpandedDashboard';
import { useLayoutStore } from './layout-store';
import { ShortcutSheet } from './ShortcutSheet';
import { sidePanels } from './side-panels';
import { Toasts } from './Toasts';
import { Toolbar } from './Toolbar';
import { useActions } from './use-actions';

/** The whole designer. */
export function App() {
  const engine = useEngine();
  const { actions, run } = useActions();
  const tab = useLayoutStore((s) => s.tab);
  const expanded = useLayoutStore((s) => s.expanded);
  const Active = sidePanels.find((p) => p.id === tab)?.Component;
  useEffect(() => void startSession(engine), [engine]);
  return (
    <div className="app">
      <Toolbar actions={actions} run={run} />
      <main className="workspace">
        <Palette />
        <section className="canvas-area">
          <ReactFlowProvider>
            <Canvas />
          </ReactFlowProvider>
        </section>
        <aside className="side-panel">
          <SpaceSummaryStrip />
          <nav className="tabs">
            {sidePanels.map((p) => (
              <button key={p.id} className={p.id === tab ? 'active' : ''} onClick={() => useLayoutStore.getState().setTab(p.id)} data-testid={`tab-${p.id}`}>
                {p.title}
              </button>
            ))}
          </nav>
          {/* One instance of a panel at a time: while its dashboard fills the window, it lives there. */}
          <div className="tab-body">{Active && expanded !== tab ? <Active /> : null}</div>
        </aside>
        <ExpandedDashboard shortcut={actions.expandDashboard.shortcut} />
      </main>
      <QuickAdd />
      <ShortcutSheet actions={actions} />
      <DialogHost />
      <Toasts />
    </div>
  );
}
