/** Shared by the training protocol tests: a typed client over `ws` and event collection. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { EngineClient, EngineError, type SocketLike } from '../../renderer/src/public-api.js';
import type { EventOf } from '../../engine/server/protocol/index.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The mlp-digits template's text. */
export const mlpDigits = fs.readFileSync(path.join(repoRoot, 'examples/mlp-digits.loom.json'), 'utf8');

/** A streamed training event. */
export type TrainEvent = EventOf<'train.watch'>;

/** A protocol client (the renderer's) on a server's port and token. */
export function connect(port: number, token: string): EngineClient {
  return new EngineClient(
    () => `ws://127.0.0.1:${port}/ws?token=${encodeURIComponent(token)}`,
    (u) => new WebSocket(u) as unknown as SocketLike,
  );
}

/** Watches a run to its end; resolves with its status and every event seen. */
export async function watchAll(c: EngineClient, runId: string, onEvent?: (e: TrainEvent) => void): Promise<{ status: string; events: TrainEvent[] }> {
  const events: TrainEvent[] = [];
  const { status } = await c.call('train.watch', { runId }, { onEvent: (e) => (events.push(e), onEvent?.(e)) });
  return { status, events };
}

/** The error a call fails with (fails the test when it succeeds). */
export async function callError(p: Promise<unknown>): Promise<EngineError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  if (!(e instanceof EngineError)) throw new Error(`expected an EngineError, got ${e === null ? 'success' : String(e)}`);
  return e;
}

/** Epoch numbers among events, in order. */
export const epochsOf = (events: TrainEvent[]) => events.flatMap((e) => (e.event === 'epoch' ? [e.epoch] : []));
