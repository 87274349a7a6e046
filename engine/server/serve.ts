/**
 * The engine server: one HTTP server on a loopback address that serves the built renderer
 * and upgrades `/ws?token=…` to the protocol WebSocket. Each connection gets its own
 * dispatcher; features plug in their handlers through {@link HandlerFactory}s.
 */
import http from 'node:http';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { appPaths } from '../app-paths.js';
import { newToken, refuseReason } from './auth.js';
import { ClientPaths } from './client-paths.js';
import type { EngineContext, HandlerFactory } from './context.js';
import { Dispatcher, type HandlerTable } from './dispatcher.js';
import { handleDownload } from './downloads.js';
import { coreHandlers } from './handlers/core.js';
import { MAX_MESSAGE_BYTES, type Notice, type ServerMessage } from './protocol/index.js';
import { serveStatic } from './static-files.js';
import { removeStaleTemps } from '../store/stale-temps.js';

/** The repository (or packaged app) root, as engine/app-paths.ts resolves it. */
export const appRoot = appPaths.root;

/** Addresses the engine may bind to: loopback only, never a network interface. */
export const loopbackHosts = ['127.0.0.1', '::1', 'localhost'] as const;

/** How to start the server. */
export interface ServeOptions {
  /** 0 picks a free port. */
  port: number;
  host?: string;
  /** The per-launch token; a random one when absent. */
  token?: string;
  dataDir: string;
  projectsDir?: string;
  /** Extra browser origins allowed besides the engine's own page (e.g. `app://layerloom`). */
  allowedOrigins?: string[];
  /** Folders besides the data folder whose files clients may read and write (`--allow-dir`). */
  allowDirs?: string[];
  /** Key of the grants Electron's main process signs for paths picked in native dialogs. */
  grantKey?: string;
  /** Folder of the built renderer. */
  staticDir?: string;
  /** Feature handler factories in addition to the core ones. */
  features?: HandlerFactory[];
}

/** A running server. */
export interface RunningServer {
  host: string;
  port: number;
  token: string;
  /** The page URL with the token, what the user opens. */
  url: string;
  broadcast(notice: Notice): void;
  /** Number of open WebSocket connections. */
  connections(): number;
  close(): Promise<void>;
}

/** Starts the server and resolves once it listens. */
export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  if (!(loopbackHosts as readonly string[]).includes(host))
    throw new Error(`--host must be a loopback address (${loopbackHosts.join(', ')}), got "${host}": the engine is never exposed to the network`);
  const token = opts.token ?? newToken();
  const staticDir = opts.staticDir ?? appPaths.rendererDist;
  const sockets = new Set<WebSocket>();
  const send = (ws: WebSocket, msg: ServerMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
  };
  const broadcast = (notice: Notice) => {
    for (const ws of sockets) send(ws, { type: 'notice', notice });
  };
  const closers: (() => void | Promise<void>)[] = [];
  // Temp files of atomic writes whose process was killed (kill -9 mid-checkpoint) go now.
  removeStaleTemps(opts.dataDir);
  const engine: EngineContext = {
    dataDir: opts.dataDir,
    projectsDir: opts.projectsDir ?? path.join(opts.dataDir, 'projects'),
    paths: new ClientPaths({ dataDir: opts.dataDir, allowDirs: opts.allowDirs, grantKey: opts.grantKey }),
    appRoot,
    broadcast,
    onClose: (fn) => closers.push(fn),
  };
  const handlers: HandlerTable = Object.assign({}, coreHandlers(engine), ...(opts.features ?? []).map((f) => f(engine)));

  const server = http.createServer((req, res) => handleDownload(req, res, { dataDir: opts.dataDir, token }) || serveStatic(staticDir, req, res));
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  let port = opts.port;
  server.on('upgrade', (req, socket, head) => {
    const refused = refuseReason(req, { token, port, allowedOrigins: opts.allowedOrigins ?? [] });
    if (refused) {
      socket.end(
        `HTTP/1.1 ${refused.status} ${refused.status === 404 ? 'Not Found' : refused.status === 401 ? 'Unauthorized' : 'Forbidden'}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${refused.reason}\n`,
      );
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      const dispatcher = new Dispatcher(handlers, (msg) => send(ws, msg));
      ws.on('message', (data, isBinary) => {
        if (isBinary)
          return send(ws, { type: 'response', id: null, ok: false, error: { code: 'bad-message', message: 'binary frames are not part of the protocol' } });
        void dispatcher.onFrame(data.toString());
      });
      ws.on('close', () => {
        sockets.delete(ws);
        dispatcher.closeAll();
      });
      // A socket error (e.g. an oversized frame) closes that connection only.
      ws.on('error', () => ws.terminate());
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => resolve());
  });
  port = (server.address() as { port: number }).port;
  const urlHost = host === '::1' ? '[::1]' : host;
  return {
    host,
    port,
    token,
    url: `http://${urlHost}:${port}/?token=${token}`,
    broadcast,
    connections: () => sockets.size,
    close: async () => {
      await new Promise<void>((resolve) => {
        for (const ws of sockets) ws.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      for (const fn of closers.reverse()) await fn();
    },
  };
}
