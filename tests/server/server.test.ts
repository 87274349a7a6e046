/**
 * The engine server over a real socket: token and Origin checks on the upgrade, typed calls
 * through the renderer's client, streamed events and cancellation, and hostile frames that
 * get error replies without taking the server down.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { EngineClient, EngineError, type SocketLike } from '../../renderer/src/public-api.js';
import { startServer, type RunningServer } from '../../engine/server/serve.js';

let server: RunningServer;
let dataDir: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loom-serve-'));
  server = await startServer({ port: 0, dataDir });
});
afterAll(() => server.close());

const wsUrl = (token: string | null, pathName = '/ws') =>
  `ws://127.0.0.1:${server.port}${pathName}${token === null ? '' : `?token=${encodeURIComponent(token)}`}`;

/** Resolves with the HTTP status of a refused upgrade, or 101 when it opened. */
function upgradeStatus(url: string, origin?: string): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, origin ? { origin } : {});
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => undefined);
  });
}

function client(): EngineClient {
  return new EngineClient(
    () => wsUrl(server.token),
    (u) => new WebSocket(u) as unknown as SocketLike,
  );
}

/** Sends raw frames and collects the replies. */
async function raw(frames: (string | Buffer)[], expected: number): Promise<unknown[]> {
  const ws = new WebSocket(wsUrl(server.token));
  const replies: unknown[] = [];
  await new Promise((r) => ws.once('open', r));
  const done = new Promise<void>((resolve) =>
    ws.on('message', (d) => {
      replies.push(JSON.parse(d.toString()));
      if (replies.length >= expected) resolve();
    }),
  );
  for (const f of frames) ws.send(f);
  await done;
  ws.close();
  return replies;
}

describe('engine server', () => {
  it('refuses a connection without the token, with a wrong one, or from a foreign origin', async () => {
    expect(await upgradeStatus(wsUrl(null))).toBe(401);
    expect(await upgradeStatus(wsUrl('wrong-token'))).toBe(401);
    expect(await upgradeStatus(wsUrl(server.token), 'https://evil.example')).toBe(403);
    expect(await upgradeStatus(wsUrl(server.token, '/other'))).toBe(404);
    expect(await upgradeStatus(wsUrl(server.token), `http://127.0.0.1:${server.port}`)).toBe(101);
    expect(await upgradeStatus(wsUrl(server.token))).toBe(101);
  });

  it('binds to loopback only', async () => {
    await expect(startServer({ port: 0, host: '0.0.0.0', dataDir })).rejects.toThrow(/loopback/);
  });

  it('answers typed calls through the renderer client, validated at both ends', async () => {
    const c = client();
    const hello = await c.call('engine.hello', {});
    expect(hello.dataDir).toBe(dataDir);
    const examples = await c.call('examples.list', {});
    expect(examples.map((e) => e.id)).toContain('mlp-digits');
    await c.call('files.write', { name: 'a.loom.json', text: '{"x":1}' });
    expect((await c.call('files.read', { name: 'a.loom.json' })).text).toBe('{"x":1}');
    expect((await c.call('files.list', {})).files.map((f) => f.name)).toEqual(['a.loom.json']);
    const err = await c.call('files.read', { name: '../etc/passwd.loom.json' }).catch((e: EngineError) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).code).toBe('bad-params');
    expect((err as EngineError).info.where?.field).toBe('name');
    const missing = await c.call('files.read', { name: 'nope.loom.json' }).catch((e: EngineError) => e);
    expect((missing as EngineError).code).toBe('not-found');
    c.close();
  });

  it('answers malformed and hostile frames with errors and keeps serving', async () => {
    const replies = (await raw(
      [
        'not json',
        '{"type":"request"}',
        JSON.stringify({ type: 'request', id: 1, method: 'no.such' }),
        JSON.stringify({ type: 'request', id: 2, method: 'files.read', params: { name: 5 } }),
        JSON.stringify({ type: 'request', id: 3, method: '__proto__' }),
        Buffer.from([1, 2, 3]),
        JSON.stringify({ type: 'request', id: 4, method: 'engine.hello' }),
      ],
      7,
    )) as { id: number | null; ok: boolean; error?: { code: string } }[];
    const byId = (id: number | null) => replies.filter((r) => r.id === id);
    expect(byId(null).map((r) => r.error?.code)).toEqual(['bad-message', 'bad-message', 'bad-message']);
    expect(byId(1)[0].error?.code).toBe('unknown-method');
    expect(byId(2)[0].error?.code).toBe('bad-params');
    expect(byId(3)[0].error?.code).toBe('unknown-method');
    expect(byId(4)[0].ok).toBe(true);
    // Still serving new connections.
    expect(await upgradeStatus(wsUrl(server.token))).toBe(101);
  });

  it('serves the renderer with a strict CSP and refuses path traversal', async () => {
    const res = await fetch(`http://127.0.0.1:${server.port}/../../package.json`);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await res.text()).not.toContain('"dependencies"');
    const enc = await fetch(`http://127.0.0.1:${server.port}/%2e%2e/%2e%2e/package.json`);
    expect(await enc.text()).not.toContain('"dependencies"');
  });
});
