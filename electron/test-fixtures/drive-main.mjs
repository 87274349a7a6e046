// Runs a built main.js (argv[2]) against fake-electron.mjs and walks it through a session:
// ready, engine up, window on app://, bridge calls, a dirty close, quit. Prints one JSON
// report line on stdout for main-wiring.test.ts.
/* global Request -- Node 20's fetch API global, as Electron's protocol.handle receives it */
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';

register('./electron-hooks.mjs', import.meta.url);
const report = {};
const main = import(pathToFileURL(process.argv[2]).href);
const fake = await waitFor(() => globalThis.fakeElectron);
await waitFor(() => fake.windows.length === 1);
const win = fake.windows[0];
const frame = { senderFrame: { url: 'app://layerloom/index.html' } };

report.schemes = fake.schemes;
report.loadedUrl = win.loadedUrl;
report.webPreferences = win.options.webPreferences;
report.menuLabels = fake.menu.template.map((m) => m.label ?? m.role);
report.engine = await fake.invokeHandlers.get('layerloom:get-engine')(frame);
report.foreignCall = await Promise.resolve()
  .then(() => fake.invokeHandlers.get('layerloom:get-engine')({ senderFrame: { url: 'https://evil.example/' } }))
  .then(
    () => 'allowed',
    (e) => e.message,
  );

const serve = fake.protocolHandlers.get('app');
const page = await serve(new Request('app://layerloom/index.html'));
report.page = { status: page.status, csp: page.headers.get('content-security-policy'), body: await page.text() };
report.traversal = (await serve(new Request('app://layerloom/..%2f..%2fpackage.json'))).status;

let granted = null;
fake.permissionRequest(win.webContents, 'media', (g) => (granted = g), { requestingUrl: 'app://layerloom/index.html' });
report.mediaPermission = granted;
report.windowOpen = win.webContents.openHandler({ url: 'file:///etc/passwd' });
const nav = {
  url: 'https://evil.example/',
  preventDefault() {
    this.prevented = true;
  },
};
win.webContents.emit('will-navigate', nav);
report.navigationPrevented = nav.prevented === true;

// A dashboard in its own window: hardened, on the renderer with the dashboard's query; asking
// again focuses it; a dashboard that does not exist is refused; it closes with the main window.
const open = fake.invokeHandlers.get('layerloom:open-dashboard-window');
await open(frame, 'training', 'mlp-digits');
await open(frame, 'training', 'mlp-digits');
const dash = fake.windows[1];
report.dashboard = {
  windows: fake.windows.length,
  url: dash?.loadedUrl,
  title: dash?.options.title,
  webPreferences: dash?.options.webPreferences,
  bogus: await Promise.resolve()
    .then(() => open(frame, 'settings', 'x'))
    .then(
      () => 'allowed',
      (e) => e.message,
    ),
};
const dashNav = {
  url: 'https://evil.example/',
  preventDefault() {
    this.prevented = true;
  },
};
dash?.webContents.emit('will-navigate', dashNav);
report.dashboard.navigationPrevented = dashNav.prevented === true;

// A dirty document: the close is held and the user is asked; "Don't Save" closes.
fake.onHandlers.get('layerloom:set-document-state')(frame, { dirty: true, title: 'mlp-digits' });
report.title = win.title;
fake.messageBoxResponse = 1;
const { app } = await import('electron');
let quit = false;
app.once('quit', () => (quit = true));
app.quit();
await waitFor(() => win.destroyed);
report.dashboard.closedWithMain = dash?.destroyed === true;
report.prompt = fake.messageBoxes[0]?.message;
// The quit resumes once the engine has stopped (will-quit is held until then).
await waitFor(() => quit);
report.quitCalls = fake.quitCalls;
process.stdout.write(`${JSON.stringify(report)}\n`);
await main;
process.exit(0);

async function waitFor(check, ms = 10_000) {
  const until = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > until) {
      process.stdout.write(`${JSON.stringify({ timeout: String(check), report })}\n`);
      process.exit(1);
    }
    await delay(20);
  }
}
