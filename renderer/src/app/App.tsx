/** The window layout: toolbar, palette, canvas, and the tabbed side panel. */
import { useState } from 'react';
import { useConnectionStatus } from '../engine/engine-context';
import { sidePanels } from './side-panels';

/** The whole designer. */
export function App() {
  const status = useConnectionStatus();
  const [tab, setTab] = useState(sidePanels[0]?.id ?? '');
  const Active = sidePanels.find((p) => p.id === tab)?.Component;
  return (
    <div className="app">
      <header className="toolbar">
        <strong>Layerloom</strong>
        <span className={`status status-${status}`} data-testid="engine-status">
          engine: {status}
        </span>
      </header>
      <main className="workspace">
        <section className="canvas-area" />
        <aside className="side-panel">
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
    </div>
  );
}
