import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_ORIGIN, APP_START_URL, contentType, createAppProtocolHandler, isAppUrl, resolveAppPath } from './app-protocol.js';
import { buildCsp } from './csp.js';

const root = path.resolve('/srv/renderer/dist');

describe('resolveAppPath', () => {
  it('maps app URLs to files under the root, / to index.html', () => {
    expect(resolveAppPath(root, 'app://layerloom/')).toBe(path.join(root, 'index.html'));
    expect(resolveAppPath(root, 'app://layerloom')).toBe(path.join(root, 'index.html'));
    expect(resolveAppPath(root, APP_START_URL)).toBe(path.join(root, 'index.html'));
    expect(resolveAppPath(root, 'app://layerloom/assets/index-1.js?v=2#x')).toBe(path.join(root, 'assets', 'index-1.js'));
    expect(resolveAppPath(root, 'app://layerloom/assets/')).toBe(path.join(root, 'assets', 'index.html'));
    expect(resolveAppPath(root, 'app://layerloom/a%20b.png')).toBe(path.join(root, 'a b.png'));
    expect(resolveAppPath(root, 'app://layerloom/a/./b.js')).toBe(path.join(root, 'a', 'b.js'));
  });

  it.each([
    'app://layerloom/assets/..%2f..%2fetc%2fpasswd',
    'app://layerloom/..%5c..%5cwindows%5cwin.ini',
    'app://layerloom/a\\..\\..\\b',
    'app://layerloom/C:/Windows/win.ini',
    'app://layerloom/C%3A%5CWindows%5Cwin.ini',
    'app://layerloom/index.html%00.png',
    'app://layerloom/%E0%A4%A',
  ])('refuses %s', (url) => {
    expect(resolveAppPath(root, url)).toBeNull();
  });

  it.each(['app://layerloom/../etc/passwd', 'app://layerloom/%2e%2e/%2e%2e/etc/passwd', 'app://layerloom/assets/%2E%2E/%2E%2E/etc/passwd'])(
    'keeps %s inside the root (the URL parser folds plain dot segments first)',
    (url) => {
      expect(resolveAppPath(root, url)).toBe(path.join(root, 'etc', 'passwd'));
    },
  );

  it('never resolves outside the root, whatever the path', () => {
    const tricky = ['..', '../', '/..', '%2e%2e', '.%2e', '%2e.', '..%2f', '..%5c', '....//', '..\\', '%252e%252e'];
    for (const a of tricky) {
      for (const b of tricky) {
        const file = resolveAppPath(root, `app://layerloom/${a}/${b}/x`);
        if (file !== null) expect(path.relative(root, file).startsWith('..')).toBe(false);
      }
    }
  });

  it('refuses other schemes and hosts', () => {
    expect(resolveAppPath(root, 'file:///etc/passwd')).toBeNull();
    expect(resolveAppPath(root, 'app://evil/index.html')).toBeNull();
    expect(resolveAppPath(root, 'https://layerloom/index.html')).toBeNull();
    expect(resolveAppPath(root, 'not a url')).toBeNull();
  });
});

describe('isAppUrl', () => {
  it('accepts only the app origin', () => {
    expect(isAppUrl(`${APP_ORIGIN}/index.html`)).toBe(true);
    expect(isAppUrl(APP_ORIGIN)).toBe(true);
    expect(isAppUrl('app://layerloom.evil/')).toBe(false);
    expect(isAppUrl('app://layerloom:8080/')).toBe(false);
    expect(isAppUrl('http://127.0.0.1:1234/')).toBe(false);
  });
});

describe('the app:// handler', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loom-renderer-'));
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Layerloom</title>');
  fs.writeFileSync(path.join(dir, 'assets', 'app.js'), 'console.log(1)');
  const handle = createAppProtocolHandler({ rootDir: dir });

  it('serves files with their type and the security headers', async () => {
    const res = await handle(new Request('app://layerloom/'));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<title>Layerloom</title>');
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(buildCsp());
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const js = await handle(new Request('app://layerloom/assets/app.js'));
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('answers 404 for missing files, folders and refused paths, with the CSP too', async () => {
    for (const url of ['app://layerloom/missing.js', 'app://layerloom/assets', 'app://layerloom/%2e%2e/%2e%2e/etc/passwd']) {
      const res = await handle(new Request(url));
      expect(res.status).toBe(404);
      expect(res.headers.get('content-security-policy')).toBe(buildCsp());
    }
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await handle(new Request('app://layerloom/index.html', { method: 'HEAD' }));
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const post = await handle(new Request('app://layerloom/index.html', { method: 'POST', body: 'x' }));
    expect(post.status).toBe(405);
  });

  it('types the renderer build outputs', () => {
    expect(contentType('a.CSS')).toBe('text/css; charset=utf-8');
    expect(contentType('a.wasm')).toBe('application/wasm');
    expect(contentType('a.svg')).toBe('image/svg+xml');
    expect(contentType('a.unknown')).toBe('application/octet-stream');
  });
});
