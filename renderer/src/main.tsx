/** Renderer entry: connect to the engine, then render the app. */
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './ui/styles.css';
import { App } from './app/App.js';
import { DashboardWindow, dashboardOfUrl } from './app/DashboardWindow.js';
import { resolveSocketUrl, hostBridge, socketUrl } from './engine/address.js';
import { EngineClient } from './engine/client.js';
import { EngineProvider } from './engine/engine-context.js';

const client = new EngineClient(resolveSocketUrl);
client.connect().catch((e: Error) => console.error(e.message));
// In Electron the engine may be restarted on a new port; follow it.
hostBridge()?.onEngineRestarted((address) => client.retarget(() => socketUrl(address)));

// A dashboard window (Electron's "Open in window") shows one dashboard; otherwise the designer.
const dashboard = dashboardOfUrl(location.search);
createRoot(document.getElementById('root')!).render(
  <EngineProvider client={client}>{dashboard ? <DashboardWindow {...dashboard} /> : <App />}</EngineProvider>,
);
