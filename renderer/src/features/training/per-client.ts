/** One instance of something per engine client (a session that keeps state across tab switches). */
import type { EngineClient } from '../../engine/client.js';

/** A getter that makes the instance for a client on first use and returns the same one after. */
export function perClient<T>(make: (client: EngineClient) => T): (client: EngineClient) => T {
  const made = new WeakMap<EngineClient, T>();
  return (client) => {
    let it = made.get(client);
    if (it === undefined) {
      it = make(client);
      made.set(client, it);
    }
    return it;
  };
}
