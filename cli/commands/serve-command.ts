/**
 * `layerloom serve`: the engine server for the designer (web mode, Electron, tests). Prints
 * the URL with its token (or one JSON line with --json, for the Electron shell), and shuts
 * down cleanly on SIGINT / SIGTERM.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { CliValues } from '../options.js';
import { searchHandlers } from '../../nas/server/search-handlers.js';
import { engineFeatures } from '../../engine/server/features.js';
import { startServer } from '../../engine/server/serve.js';
import { defaultDataDir } from '../../engine/store/data-dir.js';
import { intOption, UsageError } from './errors.js';

/** Opens `url` in the default browser where the platform has one; silently does nothing otherwise. */
function openBrowser(url: string): void {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    const child = spawn(cmd, [url], { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No browser launcher (a headless server): the printed URL is enough.
  }
}

/** Runs the serve command; resolves with the exit code when the server stops. */
export async function serveCommand(args: string[], values: CliValues): Promise<number> {
  if (args.length) throw new UsageError('serve takes no positional arguments');
  const port = intOption('port', values.port, 0) ?? 0;
  if (port > 65535) throw new UsageError(`--port must be at most 65535, got ${port}`);
  const server = await startServer({
    port,
    host: values.host,
    token: process.env.LAYERLOOM_TOKEN || undefined,
    dataDir: values['data-dir'] ?? defaultDataDir(),
    projectsDir: values['projects-dir'],
    allowedOrigins: values['allow-origin'] ?? [],
    allowDirs: (values['allow-dir'] ?? []).map((d) => path.resolve(d)),
    // Set by the Electron shell: it signs the paths the user picks in its save dialogs.
    grantKey: process.env.LAYERLOOM_GRANT_KEY || undefined,
    // The CLI is the composition root: it may plug nas/ features into the engine server.
    features: [...engineFeatures, searchHandlers],
  });
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ event: 'listening', host: server.host, port: server.port, token: server.token, url: server.url })}\n`);
  } else {
    process.stdout.write(`Layerloom engine listening on ${server.host}:${server.port}\nOpen the designer: ${server.url}\n`);
  }
  if (values.open) openBrowser(server.url);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  return 0;
}
