/**
 * Electron main process: registers the app:// scheme, starts the engine and waits for it,
 * then opens the window on the renderer. The engine stops when the window closes (and is
 * started again with a new window on macOS's dock click); it is restarted with a notice to the
 * renderer when it dies, and the user is asked what to do when it keeps dying.
 * Logic lives in the Electron-free modules beside this file; this one only wires them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, dialog, ipcMain, Menu, protocol, session, utilityProcess } from 'electron';
import { appLayout } from './app-layout.js';
import { APP_SCHEME, APP_SCHEME_PRIVILEGES, createAppProtocolHandler, isAppUrl } from './app-protocol.js';
import { AppWindow } from './app-window.js';
import { DashboardWindows } from './dashboard-window.js';
import { describeStartError, EngineHost, EngineStartError } from './engine-host.js';
import { nodeLauncher, utilityLauncher, type EngineLauncher } from './engine-process.js';
import { registerIpcHandlers } from './ipc-main.js';
import { IpcChannel } from './ipc.js';
import { buildMenuTemplate } from './menu.js';
import { permissionGranted } from './window-policy.js';

const layout = appLayout({ mainDir: path.dirname(fileURLToPath(import.meta.url)), isPackaged: app.isPackaged, env: process.env });

// Must run before 'ready', hence at the top level of the entry module.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);

const launcher: EngineLauncher =
  layout.engine.kind === 'node'
    ? nodeLauncher(layout.engine)
    : utilityLauncher((modulePath, args, options) => utilityProcess.fork(modulePath, args, options), layout.engine.modulePath);

let current: AppWindow | null = null;
const dashboards = new DashboardWindows(layout.preloadPath);
let quitting = false;
let engineDown = false;

const engine = new EngineHost({
  launcher,
  args: layout.engineArgs,
  onLog: (line) => console.log(`[engine] ${line}`),
  onRestarted: (address, reason) => {
    console.warn(`[engine] ${reason}`);
    current?.engineRestarted(address, reason);
    dashboards.engineRestarted(address, reason);
  },
  onGaveUp: (message, output) => void engineGaveUp(message, output),
});

function need(): AppWindow {
  if (current === null) throw new Error('no window');
  return current;
}

async function openApp(): Promise<void> {
  if (!fs.existsSync(path.join(layout.rendererDir, 'index.html'))) {
    dialog.showErrorBox('Layerloom is not built', `No renderer in ${layout.rendererDir}. Build it first: npm run build:renderer.`);
    app.quit();
    return;
  }
  try {
    await engine.start();
  } catch (e) {
    dialog.showErrorBox('Layerloom could not start its engine', describeStartError(e));
    app.quit();
    return;
  }
  const win = new AppWindow(layout.preloadPath, () => {
    if (current === win) current = null;
    dashboards.closeAll();
    void engine.stop();
  });
  win.onCloseCancelled = () => (quitting = false);
  current = win;
}

async function engineGaveUp(message: string, output: string): Promise<void> {
  const options = {
    type: 'error' as const,
    buttons: ['Restart engine', 'Quit'],
    defaultId: 0,
    cancelId: 1,
    noLink: true,
    title: 'Engine stopped',
    message: 'The Layerloom engine keeps stopping.',
    detail: describeStartError(new EngineStartError(message, output), 8),
  };
  const { response } = current ? await dialog.showMessageBox(current.window, options) : await dialog.showMessageBox(options);
  if (response !== 0) {
    app.quit();
    return;
  }
  try {
    const address = await engine.start();
    current?.engineRestarted(address, 'engine restarted after repeated crashes');
    dashboards.engineRestarted(address, 'engine restarted after repeated crashes');
  } catch (e) {
    dialog.showErrorBox('Layerloom could not restart its engine', describeStartError(e));
  }
}

registerIpcHandlers(
  ipcMain,
  {
    [IpcChannel.getEngine]: () => engine.current(),
    [IpcChannel.openFile]: () => need().openFile(),
    [IpcChannel.saveFile]: (file, text, suggestedName) => need().saveFile(file, text, suggestedName),
    // The picked path goes back with its grant: the engine writes outside its folders only there.
    [IpcChannel.chooseExportPath]: async (suggestedName) => {
      const file = await need().chooseExportPath(suggestedName);
      return file === null ? null : { path: file, grant: engine.writeGrant(file) };
    },
    [IpcChannel.openDashboardWindow]: (dashboard, project) => dashboards.show(dashboard, project),
    [IpcChannel.setDocumentState]: (state) => current?.setDocumentState(state),
  },
  isAppUrl,
);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (current === null) return;
    if (current.window.isMinimized()) current.window.restore();
    current.window.focus();
  });
  app.on('before-quit', () => {
    quitting = true;
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin' || quitting) app.quit();
  });
  app.on('activate', () => {
    if (current === null && app.isReady()) void openApp();
  });
  // The engine must be gone before the app is: hold the quit until it has stopped.
  app.on('will-quit', (event) => {
    if (engineDown) return;
    event.preventDefault();
    void engine.stop().finally(() => {
      engineDown = true;
      app.quit();
    });
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());

  await app.whenReady();
  protocol.handle(APP_SCHEME, createAppProtocolHandler({ rootDir: layout.rendererDir }));
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(permissionGranted(permission, details.requestingUrl)),
  );
  session.defaultSession.setPermissionCheckHandler((_contents, permission, requestingOrigin) => permissionGranted(permission, requestingOrigin));
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      buildMenuTemplate({ platform: process.platform, isDev: !app.isPackaged, appName: app.name, send: (command) => current?.command(command) }),
    ),
  );
  await openApp();
}
