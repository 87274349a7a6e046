/**
 * `GET /download/exports/<runId>.onnx?token=…[&name=…]`: hands an exported model to the browser in
 * web mode. The per-launch token is required (as for the WebSocket), only plain file names
 * inside the data folder's exports/ are served, and anything else under /download/ is 404.
 */
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { tokenMatches } from './auth.js';

const PREFIX = '/download/exports/';
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,120}\.onnx$/;

/** Where exports from runs are written in web mode. */
export function exportsDir(dataDir: string): string {
  return path.join(dataDir, 'exports');
}

/** The URL path (without the token) of a run's export. */
export function downloadPath(runId: string): string {
  return `${PREFIX}${encodeURIComponent(`${runId}.onnx`)}`;
}

/**
 * Answers the request when it is a download (returns true); leaves every other request to
 * the caller (returns false).
 */
export function handleDownload(req: http.IncomingMessage, res: http.ServerResponse, opts: { dataDir: string; token: string }): boolean {
  const url = new URL(req.url ?? '/', 'http://engine');
  if (!url.pathname.startsWith('/download/')) return false;
  const headers = { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' };
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, headers).end('method not allowed\n');
    return true;
  }
  if (!tokenMatches(opts.token, url.searchParams.get('token'))) {
    res.writeHead(401, headers).end('missing or wrong token\n');
    return true;
  }
  let name: string;
  try {
    name = decodeURIComponent(url.pathname.slice(PREFIX.length));
  } catch {
    name = '';
  }
  const file = path.join(exportsDir(opts.dataDir), name);
  if (!url.pathname.startsWith(PREFIX) || !FILE_NAME.test(name) || !fs.existsSync(file)) {
    res.writeHead(404, headers).end('no such export\n');
    return true;
  }
  const size = fs.statSync(file).size;
  // The browser saves it under `?name=` when that is a plain file name too.
  const saveAs = url.searchParams.get('name');
  res.writeHead(200, {
    'Content-Type': 'application/octet-stream',
    'Content-Length': String(size),
    'Content-Disposition': `attachment; filename="${saveAs && FILE_NAME.test(saveAs) ? saveAs : name}"`,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
  });
  if (req.method === 'HEAD') res.end();
  else fs.createReadStream(file).pipe(res);
  return true;
}
