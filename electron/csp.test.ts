import { describe, expect, it } from 'vitest';
import { buildCsp, securityHeaders } from './csp.js';

/** The policy parsed back into directive -> sources. */
function parse(csp: string): Map<string, string[]> {
  return new Map(
    csp.split(';').map((part) => {
      const [name, ...sources] = part.trim().split(/\s+/);
      return [name, sources];
    }),
  );
}

describe('the Content Security Policy', () => {
  const csp = parse(buildCsp());

  it('loads only the app’s own files and runs no inline or remote script', () => {
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(buildCsp()).not.toMatch(/unsafe-eval|https?:\/\/\*|\s\*(;|$)/);
  });

  it('lets the page reach the engine on 127.0.0.1 only', () => {
    expect(csp.get('connect-src')).toEqual(['ws://127.0.0.1:*', 'http://127.0.0.1:*']);
  });

  it('allows inline styles (React Flow) and data/blob images, nothing else extra', () => {
    expect(csp.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(csp.get('img-src')).toEqual(["'self'", 'data:', 'blob:']);
  });

  it('forbids plugins, <base> and framing', () => {
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('names each directive once', () => {
    const names = buildCsp()
      .split(';')
      .map((p) => p.trim().split(/\s+/)[0]);
    expect(new Set(names).size).toBe(names.length);
  });

  it('is sent with nosniff on every response', () => {
    expect(securityHeaders()).toMatchObject({ 'Content-Security-Policy': buildCsp(), 'X-Content-Type-Options': 'nosniff' });
  });
});
