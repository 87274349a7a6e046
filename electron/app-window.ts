/**
 * The main window: created with the hardened options, loads the renderer from app://, owns
 * the file dialogs of its document and asks before closing with unsaved changes.
 */
import { BrowserWindow, dialog, shell } from 'electron';
import { APP_START_URL } from './app-protocol.js';
import { choiceOf, CloseGuard, unsavedChangesPrompt } from './close-guard.js';
import { FileService } from './file-service.js';
import type { EngineAddress, MenuCommand, OpenedFile } from './host-api.js';
import { sendEvent } from './ipc-main.js';
import { IpcChannel, type DocumentState } from './ipc.js';
import { hardenContents, mainWindowOptions } from './window-policy.js';

/** One main window and its document's bridge calls. */
export class AppWindow {
  readonly window: BrowserWindow;
  private readonly files: FileService;
  private readonly guard = new CloseGuard();
  private title = 'Untitled';

  /** Opens the window on the renderer; `onClosed` runs once it is gone. */
  constructor(preloadPath: string, onClosed: () => void) {
    const win = new BrowserWindow(mainWindowOptions(preloadPath));
    this.window = win;
    this.files = new FileService({
      showOpenDialog: (options) => dialog.showOpenDialog(win, options),
      showSaveDialog: (options) => dialog.showSaveDialog(win, options),
    });
    hardenContents(win.webContents, (url) => void shell.openExternal(url));
    win.webContents.on('will-attach-webview', (event) => event.preventDefault());
    win.once('ready-to-show', () => win.show());
    // The title is main's (document name and dirty mark), not the page's <title>.
    win.on('page-title-updated', (event) => event.preventDefault());
    win.on('close', (event) => {
      if (this.guard.mayClose()) return;
      event.preventDefault();
      void this.askBeforeClose();
    });
    win.on('closed', onClosed);
    win.loadURL(APP_START_URL).catch((e: unknown) => console.error(`[window] could not load ${APP_START_URL}:`, e));
  }

  /** Sends a menu command to the renderer. */
  command(command: MenuCommand): void {
    sendEvent(this.window.webContents, IpcChannel.menuCommand, command);
  }

  /** Tells the renderer the engine was restarted at a new address. */
  engineRestarted(engine: EngineAddress, reason: string): void {
    sendEvent(this.window.webContents, IpcChannel.engineRestarted, engine, reason);
  }

  /** Bridge: Open dialog. */
  openFile(): Promise<OpenedFile | null> {
    return this.files.open();
  }

  /** Bridge: Save / Save As; a cancelled Save As also cancels a pending save-before-close. */
  async saveFile(path: string | null, text: string, suggestedName?: string): Promise<string | null> {
    const saved = await this.files.save(path, text, suggestedName);
    if (saved === null) this.guard.saveCancelled();
    return saved;
  }

  /** Bridge: the export destination. */
  chooseExportPath(suggestedName: string): Promise<string | null> {
    return this.files.chooseExportPath(suggestedName);
  }

  /** Bridge: the document's title and dirty flag; closes the window after a save it asked for. */
  setDocumentState(state: DocumentState): void {
    this.title = state.title || 'Untitled';
    this.window.setTitle(`${state.dirty ? '• ' : ''}${this.title} — Layerloom`);
    if (process.platform === 'darwin') this.window.setDocumentEdited(state.dirty);
    if (this.guard.documentState(state.dirty) === 'close') this.window.close();
  }

  /** Emitted when a close was refused with unsaved changes and the user cancelled the prompt. */
  onCloseCancelled: () => void = () => undefined;

  private async askBeforeClose(): Promise<void> {
    if (!this.guard.beginPrompt()) return;
    const { response } = await dialog.showMessageBox(this.window, unsavedChangesPrompt(this.title));
    const action = this.guard.answer(choiceOf(response));
    if (action === 'close') this.window.close();
    else if (action === 'save') this.command('save');
    else this.onCloseCancelled();
  }
}
