/**
 * Dashboards in windows of their own (Training, Runs, Search): one window per dashboard, on
 * the same renderer with `?dashboard=<kind>&project=<name>` (renderer/src/app/DashboardWindow),
 * hardened like the main window. Asking again for an open dashboard brings it to the front
 * (and switches its project); they all close with the main window.
 */
import { BrowserWindow, shell } from 'electron';
import { APP_START_URL } from './app-protocol.js';
import type { DashboardKind, EngineAddress } from './host-api.js';
import { sendEvent } from './ipc-main.js';
import { IpcChannel } from './ipc.js';
import { hardenContents, mainWindowOptions } from './window-policy.js';

const TITLES: Record<DashboardKind, string> = { training: 'Training', runs: 'Runs', search: 'Search' };

/** The renderer URL of a dashboard window. */
export function dashboardUrl(dashboard: DashboardKind, project: string): string {
  return `${APP_START_URL}?${new URLSearchParams({ dashboard, project })}`;
}

/** The window title of a dashboard window. */
export function dashboardTitle(dashboard: DashboardKind, project: string): string {
  return `${TITLES[dashboard]} — ${project} — Layerloom`;
}

/** The open dashboard windows. */
export class DashboardWindows {
  private readonly open = new Map<DashboardKind, { window: BrowserWindow; url: string }>();

  constructor(private readonly preloadPath: string) {}

  /** Opens `dashboard` for `project`, or focuses it (reloading it when the project changed). */
  async show(dashboard: DashboardKind, project: string): Promise<void> {
    const url = dashboardUrl(dashboard, project);
    const title = dashboardTitle(dashboard, project);
    const have = this.open.get(dashboard);
    if (have) {
      if (have.url !== url) {
        have.url = url;
        have.window.setTitle(title);
        await have.window.loadURL(url);
      }
      have.window.focus();
      return;
    }
    const win = new BrowserWindow({ ...mainWindowOptions(this.preloadPath, title), width: 1280, height: 860 });
    hardenContents(win.webContents, (link) => void shell.openExternal(link));
    win.webContents.on('will-attach-webview', (event) => event.preventDefault());
    win.once('ready-to-show', () => win.show());
    win.on('page-title-updated', (event) => event.preventDefault());
    win.on('closed', () => {
      if (this.open.get(dashboard)?.window === win) this.open.delete(dashboard);
    });
    this.open.set(dashboard, { window: win, url });
    await win.loadURL(url).catch((e: unknown) => console.error(`[dashboard] could not load ${url}:`, e));
  }

  /** Tells every dashboard window the engine moved. */
  engineRestarted(engine: EngineAddress, reason: string): void {
    for (const { window } of this.open.values()) sendEvent(window.webContents, IpcChannel.engineRestarted, engine, reason);
  }

  /** Closes them all (the main window went). */
  closeAll(): void {
    for (const { window } of [...this.open.values()]) window.close();
    this.open.clear();
  }
}
