/**
 * Where the engine is. In Electron the preload's bridge knows (and tells us when the engine
 * restarts on a new port); in a browser the page was served by the engine itself, so the
 * host is ours and the token is in the URL (`?token=…`).
 */
import type { EngineAddress, HostBridge } from '../../../electron/host-api.js';

declare global {
  interface Window {
    /** Present only inside the Electron shell. */
    layerloomHost?: HostBridge;
  }
}

/** The Electron bridge, when running inside the shell. */
export function hostBridge(): HostBridge | undefined {
  return typeof window !== 'undefined' ? window.layerloomHost : undefined;
}

/** The WebSocket URL for an engine address. */
export function socketUrl(address: EngineAddress): string {
  return `ws://127.0.0.1:${address.port}/ws?token=${encodeURIComponent(address.token)}`;
}

/** The engine's WebSocket URL for this page, or an error saying what is missing. */
export async function resolveSocketUrl(): Promise<string> {
  const host = hostBridge();
  if (host) return socketUrl(await host.getEngine());
  const token = new URLSearchParams(location.search).get('token');
  if (!token) throw new Error('no engine token in the page URL: open the URL that `layerloom serve` printed (it ends in ?token=…)');
  return `ws://${location.host}/ws?token=${encodeURIComponent(token)}`;
}
