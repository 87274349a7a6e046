/**
 * Turns one connection's frames into handler calls: parse, validate the envelope and the
 * params against the method's schema, run the handler with an abort signal and an event
 * emitter, and answer with exactly one response. Nothing a client sends can throw out of
 * here: every failure becomes an error response, so one bad message never takes the
 * server down.
 */
import { z } from 'zod';
import { GraphError } from '../graph/errors.js';
import { printable } from '../util/printable.js';
import {
  clientMessageSchema,
  isMethodName,
  MAX_MESSAGE_BYTES,
  methods,
  type ErrorInfo,
  type EventOf,
  type MethodName,
  type Params,
  type Result,
  type ServerMessage,
} from './protocol/index.js';

/** What a handler gets besides its params. */
export interface CallContext<M extends MethodName> {
  /** Aborted when the client cancels the call or disconnects. */
  signal: AbortSignal;
  /** Streams one event to the caller (validated against the method's event schema). */
  emit(event: EventOf<M>): void;
}

/** Implements one method. Throwing a {@link CallError} or GraphError gives a precise error. */
export type Handler<M extends MethodName> = (params: Params<M>, ctx: CallContext<M>) => Promise<Result<M>>;

/** Handlers by method name; a feature supplies the ones it implements. */
export type HandlerTable = { [M in MethodName]?: Handler<M> };

/** An error a handler throws on purpose, with its protocol code. */
export class CallError extends Error {
  override name = 'CallError';
  constructor(
    readonly code: ErrorInfo['code'],
    message: string,
    readonly where?: ErrorInfo['where'],
  ) {
    super(message);
  }
}

/**
 * Maps anything thrown to the error a client sees. Messages quote user text (node ids, file
 * names), so control characters and bidi overrides in them are escaped; `where` keeps the raw
 * id, which the designer needs to select the node.
 */
export function toErrorInfo(e: unknown): ErrorInfo {
  const info = rawErrorInfo(e);
  return { ...info, message: printable(info.message) };
}

function rawErrorInfo(e: unknown): ErrorInfo {
  if (e instanceof CallError) return { code: e.code, message: e.message, ...(e.where ? { where: e.where } : {}) };
  if (e instanceof GraphError) {
    const where = Object.fromEntries(Object.entries(e.where).filter(([, v]) => v !== undefined)) as Record<string, string | number>;
    return { code: 'graph', message: e.message, where };
  }
  if (e instanceof z.ZodError) {
    const issue = e.issues[0];
    return { code: 'bad-params', message: `${issue.path.join('.') || 'params'}: ${issue.message}`, where: { field: issue.path.join('.') } };
  }
  if (e instanceof Error && e.name === 'AbortError') return { code: 'cancelled', message: 'cancelled' };
  return { code: 'failed', message: e instanceof Error ? e.message : String(e) };
}

/** Serves the calls of one connection. */
export class Dispatcher {
  private readonly inFlight = new Map<number, AbortController>();

  constructor(
    private readonly handlers: HandlerTable,
    private readonly send: (msg: ServerMessage) => void,
  ) {}

  /** Handles one text frame. Never throws; resolves when the call (if any) has answered. */
  async onFrame(raw: string): Promise<void> {
    if (raw.length > MAX_MESSAGE_BYTES)
      return this.fail(null, { code: 'bad-message', message: `message of ${raw.length} bytes exceeds the ${MAX_MESSAGE_BYTES}-byte limit` });
    let data: unknown;
    try {
      data = JSON.parse(raw);
    } catch (e) {
      return this.fail(null, { code: 'bad-message', message: `not JSON: ${(e as Error).message}` });
    }
    const parsed = clientMessageSchema.safeParse(data);
    if (!parsed.success) {
      const id = typeof (data as { id?: unknown })?.id === 'number' ? (data as { id: number }).id : null;
      const issue = parsed.error.issues[0];
      return this.fail(id, { code: 'bad-message', message: `invalid message: ${issue.path.join('.') || 'message'}: ${issue.message}` });
    }
    const msg = parsed.data;
    if (msg.type === 'cancel') {
      this.inFlight.get(msg.id)?.abort();
      return;
    }
    if (this.inFlight.has(msg.id)) return this.fail(msg.id, { code: 'bad-message', message: `request id ${msg.id} is already in use` });
    if (!isMethodName(msg.method) || !this.handlers[msg.method]) {
      return this.fail(msg.id, { code: 'unknown-method', message: `unknown method "${msg.method}"` });
    }
    await this.call(msg.id, msg.method, msg.params);
  }

  /** Aborts every call of this connection (it closed). */
  closeAll(): void {
    for (const c of this.inFlight.values()) c.abort();
    this.inFlight.clear();
  }

  private async call<M extends MethodName>(id: number, name: M, rawParams: unknown): Promise<void> {
    const spec = methods[name];
    const params = spec.params.safeParse(rawParams ?? {});
    if (!params.success) return this.fail(id, toErrorInfo(params.error));
    const controller = new AbortController();
    this.inFlight.set(id, controller);
    const eventSchema = (spec as { event?: z.ZodType }).event;
    const ctx: CallContext<M> = {
      signal: controller.signal,
      emit: (event) => {
        if (controller.signal.aborted) return;
        // A handler emitting off-schema data is our bug; drop it loudly rather than send it.
        const checked = eventSchema?.safeParse(event);
        if (!checked?.success) {
          process.stderr.write(`layerloom serve: dropped an invalid ${name} event: ${checked?.error.issues[0]?.message ?? 'no event schema'}\n`);
          return;
        }
        this.send({ type: 'event', id, event: checked.data });
      },
    };
    try {
      const handler = this.handlers[name] as Handler<M>;
      const result = await handler(params.data as Params<M>, ctx);
      if (controller.signal.aborted) throw new CallError('cancelled', 'cancelled');
      const checked = spec.result.safeParse(result);
      if (!checked.success) throw new CallError('failed', `engine bug: ${name} returned an invalid result (${checked.error.issues[0]?.message})`);
      this.send({ type: 'response', id, ok: true, result: checked.data });
    } catch (e) {
      this.fail(id, controller.signal.aborted ? { code: 'cancelled', message: 'cancelled' } : toErrorInfo(e));
    } finally {
      this.inFlight.delete(id);
    }
  }

  private fail(id: number | null, error: ErrorInfo): void {
    this.send({ type: 'response', id, ok: false, error });
  }
}
