/**
 * The `app://layerloom/` scheme that serves the built renderer (renderer/dist) to the window.
 * A custom privileged scheme instead of file:// gives the page a real origin (the engine
 * allows exactly `app://layerloom`), relative URLs and CSP headers, and keeps the rest of the
 * disk out of reach: every request path is resolved inside the renderer folder or refused.
 */
import { readFile as fsReadFile } from 'node:fs/promises';
import path from 'node:path';
import { securityHeaders } from './csp.js';

/** The scheme name, registered as privileged before the app is ready. */
export const APP_SCHEME = 'app';
/** The one host the scheme serves. */
export const APP_HOST = 'layerloom';
/** The page's origin, as the engine's --allow-origin expects it. */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** The URL the window loads. */
export const APP_START_URL = `${APP_ORIGIN}/index.html`;

/** Privileges of the scheme: standard (relative URLs, storage), secure context, fetch. */
export const APP_SCHEME_PRIVILEGES = { standard: true, secure: true, supportFetchAPI: true, codeCache: true } as const;

/** True when `url` belongs to the app's own origin. */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    // Chromium lowercases the host of a standard scheme; Node's URL keeps it as written.
    return u.protocol === `${APP_SCHEME}:` && u.host.toLowerCase() === APP_HOST;
  } catch {
    return false;
  }
}

/**
 * The file under `rootDir` that `requestUrl` names, or null when the URL is not ours or would
 * leave `rootDir` (`..`, encoded `%2e%2e` or `%2f`, backslashes, drive letters, NUL).
 * `/` and paths ending in `/` serve `index.html`.
 */
export function resolveAppPath(rootDir: string, requestUrl: string): string | null {
  if (!isAppUrl(requestUrl)) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(new URL(requestUrl).pathname);
  } catch {
    return null;
  }
  // Decoded separators (%2f, %5c) and dot segments are judged after decoding, so an encoded
  // "..%2f" cannot slip past the URL parser's own dot-segment handling.
  const segments = decoded.split(/[/\\]/).filter((s) => s !== '' && s !== '.');
  if (segments.some((s) => s === '..' || s.includes('\0') || s.includes(':'))) return null;
  if (decoded.endsWith('/') || segments.length === 0) segments.push('index.html');
  const root = path.resolve(rootDir);
  const file = path.resolve(root, ...segments);
  const rel = path.relative(root, file);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return null;
  return file;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

/** The Content-Type for a file name (by extension; unknown ones are opaque bytes). */
export function contentType(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** What the handler needs; `readFile` is injectable for tests. */
export interface AppProtocolOptions {
  rootDir: string;
  readFile?: (file: string) => Promise<Uint8Array>;
}

/** The `protocol.handle` handler: serves files under `rootDir` with the security headers. */
export function createAppProtocolHandler(options: AppProtocolOptions): (request: Request) => Promise<Response> {
  const read = options.readFile ?? fsReadFile;
  const plain = (status: number, text: string) =>
    new Response(text, { status, headers: { ...securityHeaders(), 'Content-Type': 'text/plain; charset=utf-8' } });
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'method not allowed');
    const file = resolveAppPath(options.rootDir, request.url);
    if (file === null) return plain(404, 'not found');
    let body: Uint8Array;
    try {
      body = await read(file);
    } catch {
      return plain(404, 'not found');
    }
    const headers = { ...securityHeaders(), 'Content-Type': contentType(file) };
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers });
  };
}
