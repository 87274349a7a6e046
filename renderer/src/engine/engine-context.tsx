/** React access to the engine client and its connection state. */
import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { ConnectionStatus, EngineClient } from './client.js';

const EngineContext = createContext<EngineClient | null>(null);

/** Provides one engine client to the tree. */
export function EngineProvider({ client, children }: { client: EngineClient; children: ReactNode }) {
  return <EngineContext.Provider value={client}>{children}</EngineContext.Provider>;
}

/** The engine client (throws outside an EngineProvider: a wiring bug). */
export function useEngine(): EngineClient {
  const c = useContext(EngineContext);
  if (!c) throw new Error('useEngine outside EngineProvider');
  return c;
}

/** The live connection state. */
export function useConnectionStatus(): ConnectionStatus {
  const c = useEngine();
  return useSyncExternalStore(
    (cb) => c.onStatus(cb),
    () => c.getStatus(),
  );
}
