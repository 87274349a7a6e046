// A stand-in for the `electron` module, just enough for electron/main.ts to run under plain
// Node in main-wiring.test.ts (the real binary cannot be installed here). It records what
// main does and lets the test drive events; `globalThis.fakeElectron` is the handle.
import { EventEmitter } from 'node:events';
import { setImmediate } from 'node:timers';

const state = {
  schemes: [],
  protocolHandlers: new Map(),
  invokeHandlers: new Map(),
  onHandlers: new Map(),
  windows: [],
  menu: null,
  errorBoxes: [],
  messageBoxes: [],
  messageBoxResponse: 0,
  permissionRequest: null,
  permissionCheck: null,
  quitCalls: 0,
};
globalThis.fakeElectron = state;

const event = () => {
  const e = { defaultPrevented: false, preventDefault: () => (e.defaultPrevented = true) };
  return e;
};

class FakeApp extends EventEmitter {
  isPackaged = false;
  name = 'Layerloom';
  ready = false;
  requestSingleInstanceLock = () => true;
  isReady = () => this.ready;
  whenReady = async () => {
    await new Promise((r) => setImmediate(r));
    this.ready = true;
  };
  // Like Electron: before-quit, close every window (any may refuse), then will-quit.
  quit = () => {
    state.quitCalls++;
    this.emit('before-quit', event());
    for (const win of [...state.windows]) if (!win.destroyed) win.close();
    if (state.windows.some((w) => !w.destroyed)) return;
    const e = event();
    this.emit('will-quit', e);
    if (!e.defaultPrevented) this.emit('quit');
  };
}
export const app = new FakeApp();

class FakeWebContents extends EventEmitter {
  sent = [];
  openHandler = null;
  send = (channel, ...args) => this.sent.push([channel, ...args]);
  isDestroyed = () => false;
  setWindowOpenHandler = (h) => (this.openHandler = h);
}

export class BrowserWindow extends EventEmitter {
  constructor(options) {
    super();
    this.options = options;
    this.webContents = new FakeWebContents();
    this.destroyed = false;
    this.title = '';
    this.loadedUrl = null;
    state.windows.push(this);
  }
  loadURL = async (url) => {
    this.loadedUrl = url;
  };
  show = () => undefined;
  focus = () => undefined;
  restore = () => undefined;
  isMinimized = () => false;
  setTitle = (t) => (this.title = t);
  setDocumentEdited = () => undefined;
  // Like Electron: 'close' may be prevented; otherwise the window goes and 'closed' follows.
  close = () => {
    const e = event();
    this.emit('close', e);
    if (e.defaultPrevented) return;
    this.destroyed = true;
    this.emit('closed');
    if (state.windows.every((w) => w.destroyed)) app.emit('window-all-closed');
  };
}

export const dialog = {
  showErrorBox: (title, content) => state.errorBoxes.push({ title, content }),
  showMessageBox: async (...args) => {
    state.messageBoxes.push(args.at(-1));
    return { response: state.messageBoxResponse, checkboxChecked: false };
  },
  showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
  showSaveDialog: async () => ({ canceled: true, filePath: '' }),
};

export const ipcMain = {
  handle: (channel, listener) => state.invokeHandlers.set(channel, listener),
  on: (channel, listener) => state.onHandlers.set(channel, listener),
};

export const protocol = {
  registerSchemesAsPrivileged: (schemes) => {
    if (app.ready) throw new Error('registerSchemesAsPrivileged after ready');
    state.schemes.push(...schemes);
  },
  handle: (scheme, handler) => state.protocolHandlers.set(scheme, handler),
};

export const session = {
  defaultSession: {
    setPermissionRequestHandler: (h) => (state.permissionRequest = h),
    setPermissionCheckHandler: (h) => (state.permissionCheck = h),
  },
};

export const shell = { openExternal: async () => undefined };
export const utilityProcess = {
  fork: () => {
    throw new Error('utilityProcess is not faked');
  },
};
export const Menu = {
  buildFromTemplate: (template) => ({ template }),
  setApplicationMenu: (menu) => (state.menu = menu),
};
export const contextBridge = { exposeInMainWorld: () => undefined };
export const ipcRenderer = {};
