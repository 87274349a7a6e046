/**
 * The renderer's end of the engine protocol: typed calls with ids, streamed events,
 * cancellation through AbortSignal, notices, and reconnection. Every message from the
 * engine is validated with the same zod schemas the server uses.
 */
import {
  methods,
  serverMessageSchema,
  type ErrorInfo,
  type EventOf,
  type MethodName,
  type Notice,
  type ParamsIn,
  type Result,
} from '../../../engine/server/protocol/index.js';

/** Connection state shown in the status bar. */
export type ConnectionStatus = 'connecting' | 'open' | 'closed';

/** A failed call, with the engine's error code and location. */
export class EngineError extends Error {
  override name = 'EngineError';
  constructor(readonly info: ErrorInfo) {
    super(info.message);
  }
  get code(): ErrorInfo['code'] {
    return this.info.code;
  }
}

/** Options of one call. */
export interface CallOptions<M extends MethodName> {
  /** Aborting sends a cancel; the call then rejects with code `cancelled`. */
  signal?: AbortSignal;
  /** Receives each streamed event. */
  onEvent?: (event: EventOf<M>) => void;
}

interface Pending {
  method: MethodName;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  onEvent?: (e: unknown) => void;
  cleanup: () => void;
}

/** The minimal WebSocket surface used, so Node tests can pass the `ws` package. */
export interface SocketLike {
  readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
}

/** Talks to one engine; reconnects (with backoff) when the socket drops. */
export class EngineClient {
  private socket: SocketLike | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly noticeListeners = new Set<(n: Notice) => void>();
  private readonly statusListeners = new Set<(s: ConnectionStatus) => void>();
  private status: ConnectionStatus = 'closed';
  private closedByUser = false;
  private retryMs = 250;
  private opened: Promise<void> | null = null;

  constructor(
    private url: () => Promise<string> | string,
    private readonly makeSocket: (url: string) => SocketLike = (u) => new WebSocket(u) as unknown as SocketLike,
  ) {}

  /** Opens the connection; resolves when it is open. */
  connect(): Promise<void> {
    this.closedByUser = false;
    if (this.opened && this.status !== 'closed') return this.opened;
    this.setStatus('connecting');
    this.opened = (async () => {
      const socket = this.makeSocket(await this.url());
      this.socket = socket;
      await new Promise<void>((resolve, reject) => {
        socket.onopen = () => {
          this.retryMs = 250;
          this.setStatus('open');
          resolve();
        };
        socket.onerror = () => reject(new Error('cannot reach the engine'));
        socket.onclose = () => {
          reject(new Error('the engine closed the connection'));
          this.onClosed(socket);
        };
        socket.onmessage = (ev) => this.onMessage(String(ev.data));
      });
    })();
    return this.opened;
  }

  /** Current connection state. */
  getStatus(): ConnectionStatus {
    return this.status;
  }

  /** Points the client at a new address (the engine restarted) and reconnects. */
  retarget(url: () => Promise<string> | string): void {
    this.url = url;
    this.socket?.close();
  }

  /** Calls a method; resolves with its validated result. */
  async call<M extends MethodName>(method: M, params: ParamsIn<M>, opts: CallOptions<M> = {}): Promise<Result<M>> {
    if (this.status !== 'open') await this.connect();
    const socket = this.socket;
    if (!socket) throw new EngineError({ code: 'failed', message: 'not connected to the engine' });
    if (opts.signal?.aborted) throw new EngineError({ code: 'cancelled', message: 'cancelled' });
    const id = this.nextId++;
    return new Promise<Result<M>>((resolve, reject) => {
      const onAbort = () => {
        if (this.pending.has(id)) socket.send(JSON.stringify({ type: 'cancel', id }));
      };
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        method,
        resolve: resolve as (v: unknown) => void,
        reject,
        onEvent: opts.onEvent as ((e: unknown) => void) | undefined,
        cleanup: () => opts.signal?.removeEventListener('abort', onAbort),
      });
      socket.send(JSON.stringify({ type: 'request', id, method, params }));
    });
  }

  /** Listens to notices; returns an unsubscribe. */
  onNotice(cb: (n: Notice) => void): () => void {
    this.noticeListeners.add(cb);
    return () => this.noticeListeners.delete(cb);
  }

  /** Listens to connection state changes; returns an unsubscribe. */
  onStatus(cb: (s: ConnectionStatus) => void): () => void {
    this.statusListeners.add(cb);
    return () => this.statusListeners.delete(cb);
  }

  /** Closes for good (no reconnect). */
  close(): void {
    this.closedByUser = true;
    this.socket?.close();
  }

  private setStatus(s: ConnectionStatus): void {
    this.status = s;
    for (const cb of this.statusListeners) cb(s);
  }

  private onClosed(socket: SocketLike): void {
    if (socket !== this.socket) return;
    this.socket = null;
    this.setStatus('closed');
    for (const [id, p] of this.pending) {
      p.cleanup();
      p.reject(new EngineError({ code: 'failed', message: 'the connection to the engine was lost' }));
      this.pending.delete(id);
    }
    if (this.closedByUser) return;
    const wait = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, 5000);
    setTimeout(() => {
      if (!this.closedByUser) this.connect().catch(() => undefined);
    }, wait);
  }

  private onMessage(raw: string): void {
    let data: unknown;
    try {
      data = JSON.parse(raw);
    } catch {
      return console.error('engine sent a non-JSON frame');
    }
    const parsed = serverMessageSchema.safeParse(data);
    if (!parsed.success) return console.error('engine sent an invalid message', parsed.error.issues[0]);
    const msg = parsed.data;
    if (msg.type === 'notice') {
      for (const cb of this.noticeListeners) cb(msg.notice);
      return;
    }
    if (msg.id === null) return console.error('engine error:', msg.type === 'response' && !msg.ok ? msg.error.message : msg);
    const p = this.pending.get(msg.id);
    if (!p) return;
    const spec = methods[p.method] as { result: import('zod').ZodType; event?: import('zod').ZodType };
    if (msg.type === 'event') {
      const ev = spec.event?.safeParse(msg.event);
      if (ev?.success) p.onEvent?.(ev.data);
      else console.error(`invalid ${p.method} event`, ev?.error.issues[0]);
      return;
    }
    this.pending.delete(msg.id);
    p.cleanup();
    if (!msg.ok) return p.reject(new EngineError(msg.error));
    const result = spec.result.safeParse(msg.result);
    if (result.success) p.resolve(result.data);
    else p.reject(new EngineError({ code: 'failed', message: `invalid ${p.method} result from the engine: ${result.error.issues[0]?.message}` }));
  }
}
