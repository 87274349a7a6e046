/**
 * Reading an engine's output: the one JSON line that says it is listening, and the last few
 * lines kept for error messages. `layerloom serve --json` prints
 * `{"event":"listening","host":"127.0.0.1","port":N,"token":"…","url":"…"}` once; every other
 * line is a log.
 */
import readline from 'node:readline';
import type { EngineAddress } from './host-api.js';

/** The address in a ready line, or null when `line` is a log line. */
export function parseReadyLine(line: string): (EngineAddress & { host: string }) | null {
  if (!line.startsWith('{')) return null;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { event, host, port, token } = value as Record<string, unknown>;
  if (event !== 'listening') return null;
  if (typeof host !== 'string' || typeof token !== 'string') return null;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65_535) return null;
  return { host, port, token };
}

/** Calls `onLine` for every line of `stream` (if any); lines end at \n or \r\n. */
export function eachLine(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
  if (stream === null) return;
  readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', onLine);
}

/** The last `size` lines seen, for "the engine said …" in error messages. */
export class LineTail {
  private readonly lines: string[] = [];

  constructor(private readonly size = 20) {}

  push(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.size) this.lines.shift();
  }

  /** The kept lines, oldest first, joined by newlines; '' when none. */
  text(): string {
    return this.lines.join('\n');
  }
}
