/**
 * The bridge the Electron preload exposes to the renderer as `window.layerloomHost`.
 * Types (and the list of dashboards): the renderer imports this file to type the bridge, the preload implements
 * it. In a plain browser (web mode) the bridge is absent and the renderer falls back to
 * the engine address in its URL and to in-app dialogs.
 */

/** Where the engine listens; changes when the engine is restarted. */
export interface EngineAddress {
  port: number;
  token: string;
}

/** Commands the native menus send to the renderer. */
export type MenuCommand =
  'new' | 'open' | 'save' | 'saveAs' | 'exportOnnx' | 'undo' | 'redo' | 'zoomIn' | 'zoomOut' | 'zoomFit' | 'expandDashboard' | 'shortcuts';

/** The dashboards that can open in a window of their own. */
export const DASHBOARD_KINDS = ['training', 'runs', 'search'] as const;

/** One of {@link DASHBOARD_KINDS}. */
export type DashboardKind = (typeof DASHBOARD_KINDS)[number];

/** A file the user picked in a native dialog. */
export interface OpenedFile {
  path: string;
  text: string;
}

/** An export target the user picked in a native save dialog, with the grant the engine needs to write there. */
export interface ExportTarget {
  path: string;
  grant: string;
}

/** What `window.layerloomHost` offers. Every method is safe to call at any time. */
export interface HostBridge {
  /** The engine's current address (the preload received it from the main process). */
  getEngine(): Promise<EngineAddress>;
  /** Called with the new address after the engine died and was restarted. Returns an unsubscribe. */
  onEngineRestarted(cb: (engine: EngineAddress, reason: string) => void): () => void;
  /** Native menu items and accelerators. Returns an unsubscribe. */
  onMenuCommand(cb: (cmd: MenuCommand) => void): () => void;
  /** Native Open dialog filtered to `.loom.json`; null when cancelled. */
  openFile(): Promise<OpenedFile | null>;
  /** Writes `text` to `path`, or asks for a path (Save As) when `path` is null. Returns the path written, null when cancelled. */
  saveFile(path: string | null, text: string, suggestedName?: string): Promise<string | null>;
  /** Native Save dialog for an `.onnx` file; returns the chosen path (with its write grant for the engine) or null. */
  chooseExportPath(suggestedName: string): Promise<ExportTarget | null>;
  /**
   * Opens (or brings to the front) a window showing only the `dashboard` of `project`, with
   * the whole window for its charts; it follows the project's runs through the engine.
   */
  openDashboardWindow(dashboard: DashboardKind, project: string): Promise<void>;
  /** Tells the main process whether there are unsaved changes (it asks before closing) and the title to show. */
  setDocumentState(state: { dirty: boolean; title: string }): void;
}
