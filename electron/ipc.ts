/**
 * The IPC contract between the main process and the preload: channel names, the argument and
 * result types of each channel, and the checks the main process runs on what a renderer sends.
 * Defined once here; main and preload both import it (the preload bundle inlines it).
 */
import type { DashboardKind, EngineAddress, ExportTarget, MenuCommand, OpenedFile } from './host-api.js';

/** Every channel name, by purpose. The `layerloom:` prefix keeps them apart from Electron's own. */
export const IpcChannel = {
  getEngine: 'layerloom:get-engine',
  openFile: 'layerloom:open-file',
  saveFile: 'layerloom:save-file',
  chooseExportPath: 'layerloom:choose-export-path',
  openDashboardWindow: 'layerloom:open-dashboard-window',
  setDocumentState: 'layerloom:set-document-state',
  engineRestarted: 'layerloom:engine-restarted',
  menuCommand: 'layerloom:menu-command',
} as const;

/** What the renderer tells the main process about its document. */
export interface DocumentState {
  dirty: boolean;
  title: string;
}

/** Request/response channels (`ipcRenderer.invoke` → `ipcMain.handle`): arguments and result. */
export interface InvokeChannels {
  [IpcChannel.getEngine]: { args: []; result: EngineAddress };
  [IpcChannel.openFile]: { args: []; result: OpenedFile | null };
  [IpcChannel.saveFile]: { args: [path: string | null, text: string, suggestedName: string | undefined]; result: string | null };
  [IpcChannel.chooseExportPath]: { args: [suggestedName: string]; result: ExportTarget | null };
  [IpcChannel.openDashboardWindow]: { args: [dashboard: DashboardKind, project: string]; result: void };
}

/** One-way channels from the renderer (`ipcRenderer.send` → `ipcMain.on`). */
export interface SendChannels {
  [IpcChannel.setDocumentState]: [state: DocumentState];
}

/** One-way channels from the main process (`webContents.send` → `ipcRenderer.on`). */
export interface EventChannels {
  [IpcChannel.engineRestarted]: [engine: EngineAddress, reason: string];
  [IpcChannel.menuCommand]: [command: MenuCommand];
}

/** Every menu command; the menu test checks that each one is reachable from the menu. */
export const MENU_COMMANDS = [
  'new',
  'open',
  'save',
  'saveAs',
  'exportOnnx',
  'undo',
  'redo',
  'zoomIn',
  'zoomOut',
  'zoomFit',
  'expandDashboard',
  'shortcuts',
] as const satisfies readonly MenuCommand[];

// Compile-time check that MENU_COMMANDS names every MenuCommand: adding one to host-api.ts
// without listing it here fails the typecheck instead of leaving a command no menu can send.
type MissingMenuCommand = Exclude<MenuCommand, (typeof MENU_COMMANDS)[number]>;
const _allMenuCommandsListed: [MissingMenuCommand] extends [never] ? true : MissingMenuCommand = true;
