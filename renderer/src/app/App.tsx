/** The window layout: toolbar, palette, canvas, and the side panel (a search space's summary above its tabs). */
import { ReactFlowProvider } from '@xyflow/react';
import { useEffect, useState } from 'react';
import { useEngine } from '../engine/engine-context.js';
import { Canvas } from '../features/canvas/Canvas.js';
import { DialogHost } from '../features/files/Dialogs.js';
import { startSession } from '../features/files/session.js';
import { Palette } from '../features/palette/Palette.js';
import { SpaceSummaryStrip } from '../features/search/index.js';
import { sidePanels } from './side-panels.js';
import { Toasts } from './Toasts.js';
import { Toolbar } from './Toolbar.js';
import { useActions } from './use-actions.js';

/** The whole designer. */
export function App() {
  const engine = useEngine();
  const { actions, run } = useActions();
  const [tab, setTab] = useState(sidePanels[0]?.id ?? '');
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
              <button key={p.id} className={p.id === tab ? 'active' : ''} onClick={() => setTab(p.id)} data-testid={`tab-${p.id}`}>
                {p.title}
              </button>
            ))}
          </nav>
          <div className="tab-body">{Active ? <Active /> : null}</div>
        </aside>
      </main>
      <DialogHost />
      <Toasts />
    </div>
  );
}
