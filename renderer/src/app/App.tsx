/** The window layout: toolbar, palette, canvas, and the side panel (a search space's summary above its tabs); a dashboard can fill the workspace. */
import { ReactFlowProvider } from '@xyflow/react';
import { useEffect } from 'react';
import { useEngine } from '../engine/engine-context.js';
import { Canvas } from '../features/canvas/Canvas.js';
import { DialogHost } from '../features/files/Dialogs.js';
import { startSession } from '../features/files/session.js';
import { Palette } from '../features/palette/Palette.js';
import { QuickAdd } from '../features/quick-add/QuickAdd.js';
import '../ui/dashboard-full.css';
import { ExpandedDashboard } from './ExpandedDashboard.js';
import { useLayoutStore } from './layout-store.js';
import { ShortcutSheet } from './ShortcutSheet.js';
import { sidePanels } from './side-panels.js';
import { Toasts } from './Toasts.js';
import { Toolbar } from './Toolbar.js';
import { useActions } from './use-actions.js';
import { SpaceSummaryStrip } from '../features/search/index.js';

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
