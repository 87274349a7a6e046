import { describe, expect, it, vi } from 'vitest';
import { hardenContents, mainWindowOptions, mayNavigate, permissionGranted, windowOpenAction, type HardenableContents } from './window-policy.js';

describe('the main window', () => {
  const options = mainWindowOptions('/app/dist/electron/preload.cjs');

  it('isolates the renderer: context isolation, sandbox, no Node, web security on', () => {
    expect(options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('loads the bundled preload and starts hidden until ready to show', () => {
    expect(options.webPreferences?.preload).toBe('/app/dist/electron/preload.cjs');
    expect(options.show).toBe(false);
  });
});

describe('navigation and new windows', () => {
  it('stays on the app origin', () => {
    expect(mayNavigate('app://layerloom/index.html')).toBe(true);
    expect(mayNavigate('https://example.com/')).toBe(false);
    expect(mayNavigate('file:///etc/passwd')).toBe(false);
    expect(mayNavigate('http://127.0.0.1:1234/')).toBe(false);
  });

  it('opens https links in the browser and drops everything else', () => {
    expect(windowOpenAction('https://onnx.ai/')).toBe('openExternal');
    expect(windowOpenAction('http://example.com/')).toBe('deny');
    expect(windowOpenAction('app://layerloom/index.html')).toBe('deny');
    expect(windowOpenAction('file:///bin/sh')).toBe('deny');
    expect(windowOpenAction('javascript:alert(1)')).toBe('deny');
    expect(windowOpenAction('::')).toBe('deny');
  });

  it('hardens a webContents: every window.open denied, foreign navigations and redirects prevented', () => {
    let openHandler: ((details: { url: string }) => { action: 'deny' }) | undefined;
    const listeners = new Map<string, (event: { url: string; preventDefault(): void }) => void>();
    const contents: HardenableContents = {
      setWindowOpenHandler: (h) => void (openHandler = h),
      on: (name: string, listener: (event: { url: string; preventDefault(): void }) => void) => listeners.set(name, listener),
    };
    const openExternal = vi.fn();
    hardenContents(contents, openExternal);
    expect(openHandler?.({ url: 'https://onnx.ai/' })).toEqual({ action: 'deny' });
    expect(openHandler?.({ url: 'file:///etc' })).toEqual({ action: 'deny' });
    expect(openExternal.mock.calls).toEqual([['https://onnx.ai/']]);
    for (const name of ['will-navigate', 'will-redirect']) {
      const away = { url: 'https://evil.example/', preventDefault: vi.fn() };
      const inside = { url: 'app://layerloom/index.html', preventDefault: vi.fn() };
      listeners.get(name)?.(away);
      listeners.get(name)?.(inside);
      expect(away.preventDefault).toHaveBeenCalled();
      expect(inside.preventDefault).not.toHaveBeenCalled();
    }
  });
});

describe('permissions', () => {
  it('refuses every request except sanitized clipboard writes from the app', () => {
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fileSystem', 'unknown']) {
      expect(permissionGranted(p, 'app://layerloom/index.html')).toBe(false);
    }
    expect(permissionGranted('clipboard-sanitized-write', 'app://layerloom/index.html')).toBe(true);
    expect(permissionGranted('clipboard-sanitized-write', 'app://layerloom')).toBe(true);
    expect(permissionGranted('clipboard-sanitized-write', 'https://evil.example/')).toBe(false);
  });
});
