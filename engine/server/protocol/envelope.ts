/**
 * The wire format between the renderer and the engine: one WebSocket, JSON text frames.
 *
 * The client sends requests (with an id it chooses) and cancels; the server answers each
 * request with exactly one response, may stream events tagged with the request id before
 * it, and broadcasts notices that belong to no request. Modelled on VS Code's IPC: calls,
 * event streams and cancellation in one protocol, validated at both ends.
 */
import { z } from 'zod';

/** Largest accepted frame; a bigger one is refused without being parsed. */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/** A call. `params` is checked against the method's schema by the server. */
export const requestMessageSchema = z.object({
  type: z.literal('request'),
  id: z.number().int().nonnegative(),
  method: z.string().min(1),
  params: z.unknown().optional(),
});

/** Abort the call with this id; its handler sees an aborted signal and answers `cancelled`. */
export const cancelMessageSchema = z.object({
  type: z.literal('cancel'),
  id: z.number().int().nonnegative(),
});

/** Everything a client may send. */
export const clientMessageSchema = z.discriminatedUnion('type', [requestMessageSchema, cancelMessageSchema]);

/** Machine-readable error categories of a failed call. */
export const errorCodeSchema = z.enum([
  /** The frame was not JSON or not a valid message. */
  'bad-message',
  /** No such method. */
  'unknown-method',
  /** Params did not match the method's schema; `where.field` names the field. */
  'bad-params',
  /** The user's graph is wrong; `where` names node / port / edge / field / line. */
  'graph',
  /** The call was cancelled by the client. */
  'cancelled',
  /** Something named in the params does not exist (run, file, experiment). */
  'not-found',
  /** The work itself failed; the message says why. */
  'failed',
]);

/** Error details of a failed call. */
export const errorInfoSchema = z.object({
  code: errorCodeSchema,
  message: z.string(),
  /** Where the problem is: node, port, edge, field, line (graph errors) or a params field. */
  where: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});

/** The one answer to a request. */
export const responseMessageSchema = z.union([
  z.object({ type: z.literal('response'), id: z.number().int(), ok: z.literal(true), result: z.unknown() }),
  z.object({ type: z.literal('response'), id: z.number().int().nullable(), ok: z.literal(false), error: errorInfoSchema }),
]);

/** A streamed event of a running request. */
export const eventMessageSchema = z.object({ type: z.literal('event'), id: z.number().int(), event: z.unknown() });

/** A broadcast to every connected client (e.g. "a run finished"). */
export const noticeMessageSchema = z.object({
  type: z.literal('notice'),
  notice: z.object({ kind: z.string(), message: z.string().optional(), data: z.unknown().optional() }),
});

/** Everything the server may send. */
export const serverMessageSchema = z.union([responseMessageSchema, eventMessageSchema, noticeMessageSchema]);

export type ClientMessage = z.infer<typeof clientMessageSchema>;
export type ServerMessage = z.infer<typeof serverMessageSchema>;
export type ErrorInfo = z.infer<typeof errorInfoSchema>;
export type ErrorCode = z.infer<typeof errorCodeSchema>;
export type Notice = z.infer<typeof noticeMessageSchema>['notice'];
