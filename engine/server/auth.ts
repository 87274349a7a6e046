/**
 * Who may talk to the engine: a client must present the per-launch token and, when its
 * browser sends an Origin, come from the engine's own page or an allowed app origin (the
 * Electron shell's `app://layerloom`). A page on another site cannot know the token, and a
 * foreign Origin is refused even with it, so a malicious web page cannot drive the engine.
 */
import crypto from 'node:crypto';

/** A fresh random token (URL-safe). */
export function newToken(): string {
  return crypto.randomBytes(24).toString('base64url');
}

/** Constant-time token comparison. */
export function tokenMatches(expected: string, given: string | null | undefined): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

/** The origins the engine's own page can have when served on `port`. */
export function ownOrigins(port: number): string[] {
  return [`http://127.0.0.1:${port}`, `http://localhost:${port}`, `http://[::1]:${port}`];
}

/** Why a WebSocket upgrade is refused, or null when it is allowed. */
export function refuseReason(
  req: { url?: string; headers: { origin?: string; host?: string } },
  opts: { token: string; port: number; allowedOrigins: readonly string[] },
): { status: 401 | 403 | 404; reason: string } | null {
  const url = new URL(req.url ?? '/', 'http://engine');
  if (url.pathname !== '/ws') return { status: 404, reason: 'no such endpoint' };
  const origin = req.headers.origin;
  // Non-browser clients (CLI tools, tests) send no Origin; browsers always do.
  if (origin !== undefined && !ownOrigins(opts.port).includes(origin) && !opts.allowedOrigins.includes(origin)) {
    return { status: 403, reason: `origin ${origin} is not allowed` };
  }
  const token = url.searchParams.get('token');
  if (!token) return { status: 401, reason: 'missing token' };
  if (!tokenMatches(opts.token, token)) return { status: 401, reason: 'wrong token' };
  return null;
}
