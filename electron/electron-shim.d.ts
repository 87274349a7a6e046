/**
 * The few Electron APIs electron/ uses, typed as the `electron` package (v41) declares them.
 *
 * Why a shim: `electron` is an optional dependency whose install downloads a binary, so it is
 * missing wherever that download fails (CI, this repository's machines), and with it its
 * types. electron/tsconfig.json maps the module name with a `paths` fallback list: first the
 * real package's electron.d.ts, then this file. TypeScript takes the first entry that exists,
 * so where Electron is installed its own types win and this file is not used for `electron`
 * at all; it is a plain module (top-level exports, no `declare module`), so even while it is
 * part of the program it cannot merge or clash with the real declarations.
 * Keep it a strict subset of the real API: code that typechecks here must typecheck there.
 */

export interface Event {
  preventDefault(): void;
}

export interface FileFilter {
  name: string;
  extensions: string[];
}

export interface OpenDialogOptions {
  title?: string;
  defaultPath?: string;
  buttonLabel?: string;
  filters?: FileFilter[];
  properties?: Array<'openFile' | 'openDirectory' | 'multiSelections' | 'showHiddenFiles' | 'createDirectory' | 'promptToCreate'>;
}

export interface SaveDialogOptions {
  title?: string;
  defaultPath?: string;
  buttonLabel?: string;
  filters?: FileFilter[];
  properties?: Array<'showHiddenFiles' | 'createDirectory' | 'showOverwriteConfirmation'>;
}

export interface MessageBoxOptions {
  message: string;
  type?: 'none' | 'info' | 'error' | 'question' | 'warning';
  buttons?: string[];
  defaultId?: number;
  cancelId?: number;
  title?: string;
  detail?: string;
  noLink?: boolean;
}

export interface WebPreferences {
  preload?: string;
  contextIsolation?: boolean;
  sandbox?: boolean;
  nodeIntegration?: boolean;
  nodeIntegrationInWorker?: boolean;
  nodeIntegrationInSubFrames?: boolean;
  webSecurity?: boolean;
  allowRunningInsecureContent?: boolean;
  webviewTag?: boolean;
  spellcheck?: boolean;
}

export interface BrowserWindowConstructorOptions {
  title?: string;
  width?: number;
  height?: number;
  minWidth?: number;
  minHeight?: number;
  show?: boolean;
  backgroundColor?: string;
  webPreferences?: WebPreferences;
}

export interface MenuItemConstructorOptions {
  click?: (menuItem: unknown, window: unknown, event: unknown) => void;
  role?:
    | 'undo'
    | 'redo'
    | 'cut'
    | 'copy'
    | 'paste'
    | 'selectAll'
    | 'reload'
    | 'forceReload'
    | 'toggleDevTools'
    | 'togglefullscreen'
    | 'close'
    | 'about'
    | 'services'
    | 'hide'
    | 'hideOthers'
    | 'unhide'
    | 'quit'
    | 'windowMenu'
    | 'help';
  type?: 'normal' | 'separator' | 'submenu' | 'checkbox' | 'radio';
  label?: string;
  accelerator?: string;
  visible?: boolean;
  enabled?: boolean;
  submenu?: MenuItemConstructorOptions[];
}

export interface HandlerDetails {
  url: string;
}

export interface WindowOpenHandlerResponse {
  action: 'allow' | 'deny';
}

export interface WebFrameMain {
  readonly url: string;
}

export interface WebContents {
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
  setWindowOpenHandler(handler: (details: HandlerDetails) => WindowOpenHandlerResponse): void;
  on(event: 'will-navigate', listener: (details: Event & { url: string }) => void): this;
  on(event: 'will-redirect', listener: (details: Event & { url: string }) => void): this;
  on(event: 'will-attach-webview', listener: (event: Event) => void): this;
}

export declare class BrowserWindow {
  constructor(options?: BrowserWindowConstructorOptions);
  readonly webContents: WebContents;
  loadURL(url: string): Promise<void>;
  show(): void;
  close(): void;
  focus(): void;
  restore(): void;
  isMinimized(): boolean;
  setTitle(title: string): void;
  setDocumentEdited(edited: boolean): void;
  on(event: 'close' | 'page-title-updated', listener: (event: Event) => void): this;
  on(event: 'closed', listener: () => void): this;
  once(event: 'ready-to-show', listener: () => void): this;
}

export interface MessageBoxReturnValue {
  response: number;
  checkboxChecked: boolean;
}

export interface Dialog {
  showErrorBox(title: string, content: string): void;
  showMessageBox(window: BrowserWindow, options: MessageBoxOptions): Promise<MessageBoxReturnValue>;
  showMessageBox(options: MessageBoxOptions): Promise<MessageBoxReturnValue>;
  showOpenDialog(window: BrowserWindow, options: OpenDialogOptions): Promise<{ canceled: boolean; filePaths: string[] }>;
  showSaveDialog(window: BrowserWindow, options: SaveDialogOptions): Promise<{ canceled: boolean; filePath: string }>;
}

export interface App {
  readonly isPackaged: boolean;
  name: string;
  whenReady(): Promise<void>;
  isReady(): boolean;
  quit(): void;
  requestSingleInstanceLock(): boolean;
  on(event: 'before-quit' | 'will-quit', listener: (event: Event) => void): this;
  on(event: 'window-all-closed' | 'activate' | 'second-instance', listener: () => void): this;
}

export interface IpcMainInvokeEvent {
  readonly senderFrame: WebFrameMain | null;
  sender: WebContents;
}

export interface IpcMain {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as Electron declares it
  handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: any[]) => unknown): void;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as Electron declares it
  on(channel: string, listener: (event: IpcMainInvokeEvent, ...args: any[]) => void): this;
}

export interface IpcRendererEvent {
  sender: IpcRenderer;
}

export interface IpcRenderer {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as Electron declares it
  invoke(channel: string, ...args: any[]): Promise<any>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as Electron declares it
  send(channel: string, ...args: any[]): void;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as Electron declares it
  on(channel: string, listener: (event: IpcRendererEvent, ...args: any[]) => void): this;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as Electron declares it
  removeListener(channel: string, listener: (event: IpcRendererEvent, ...args: any[]) => void): this;
}

export interface ContextBridge {
  exposeInMainWorld(apiKey: string, api: unknown): void;
}

export interface CustomScheme {
  scheme: string;
  privileges?: { standard?: boolean; secure?: boolean; supportFetchAPI?: boolean; codeCache?: boolean; corsEnabled?: boolean; stream?: boolean };
}

export interface Protocol {
  registerSchemesAsPrivileged(customSchemes: CustomScheme[]): void;
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void;
}

export interface Session {
  setPermissionRequestHandler(
    handler:
      ((webContents: WebContents, permission: string, callback: (permissionGranted: boolean) => void, details: { requestingUrl: string }) => void) | null,
  ): void;
  setPermissionCheckHandler(handler: ((webContents: WebContents | null, permission: string, requestingOrigin: string) => boolean) | null): void;
}

export interface Menu {
  readonly items: unknown[];
}

export interface UtilityProcess {
  readonly pid: number | undefined;
  readonly stdout: NodeJS.ReadableStream | null;
  readonly stderr: NodeJS.ReadableStream | null;
  kill(): boolean;
  once(event: 'exit', listener: (code: number) => void): this;
}

export interface ForkOptions {
  env?: Record<string, string | undefined>;
  execArgv?: string[];
  stdio?: 'pipe' | 'ignore' | 'inherit';
  serviceName?: string;
}

export declare const app: App;
export declare const dialog: Dialog;
export declare const ipcMain: IpcMain;
export declare const ipcRenderer: IpcRenderer;
export declare const contextBridge: ContextBridge;
export declare const protocol: Protocol;
export declare const session: { readonly defaultSession: Session };
export declare const shell: { openExternal(url: string): Promise<void> };
export declare const utilityProcess: { fork(modulePath: string, args?: string[], options?: ForkOptions): UtilityProcess };
export declare const Menu: {
  buildFromTemplate(template: MenuItemConstructorOptions[]): Menu;
  setApplicationMenu(menu: Menu | null): void;
};
