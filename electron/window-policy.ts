/**
 * The main window's security settings as pure functions: its webPreferences, which
 * navigations and new windows are allowed, and which permission requests are granted.
 */
import type { BrowserWindowConstructorOptions } from 'electron';
import { isAppUrl } from './app-protocol.js';

/** Options of the main window. The renderer gets no Node and reaches main only via the preload. */
export function mainWindowOptions(preloadPath: string, title = 'Layerloom'): BrowserWindowConstructorOptions {
  return {
    title,
    width: 1440,
    height: 900,
    minWidth: 800,
    minHeight: 560,
    // Shown on 'ready-to-show' so the user never sees an empty white frame.
    show: false,
    backgroundColor: '#1e1f24',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  };
}

/** Whether the page may navigate to `url`: only within the app's own origin. */
export function mayNavigate(url: string): boolean {
  return isAppUrl(url);
}

/**
 * What to do with `window.open(url)` or a `target=_blank` link: never a new app window;
 * https links (documentation, papers) go to the system browser, everything else is dropped.
 */
export function windowOpenAction(url: string): 'deny' | 'openExternal' {
  try {
    return new URL(url).protocol === 'https:' ? 'openExternal' : 'deny';
  } catch {
    return 'deny';
  }
}

/**
 * Whether a permission request is granted. Everything is refused (camera, notifications,
 * geolocation, …) except writing plain text to the clipboard from the app's own page, which
 * the canvas's copy command needs and which cannot read anything back.
 */
export function permissionGranted(permission: string, requestingUrl: string): boolean {
  return permission === 'clipboard-sanitized-write' && isAppUrl(requestingUrl);
}

/** The part of a webContents that hardening touches. */
export interface HardenableContents {
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
  on(event: 'will-navigate' | 'will-redirect', listener: (event: { url: string; preventDefault(): void }) => void): unknown;
}

/**
 * Applies the policy above to a window's contents: no new windows (https links open in the
 * system browser), no navigation or redirect away from the app's origin.
 */
export function hardenContents(contents: HardenableContents, openExternal: (url: string) => void): void {
  contents.setWindowOpenHandler(({ url }) => {
    if (windowOpenAction(url) === 'openExternal') openExternal(url);
    return { action: 'deny' };
  });
  const keepInApp = (event: { url: string; preventDefault(): void }) => {
    if (!mayNavigate(event.url)) event.preventDefault();
  };
  contents.on('will-navigate', keepInApp);
  contents.on('will-redirect', keepInApp);
}
