/** One instance of something per engine client (a session that keeps state across tab switches). */

/** A getter that makes the instance for a client on first use and returns the same one after. */
export function perClient<C extends object, T>(make: (client: C) => T): (client: C) => T {
  const made = new WeakMap<C, T>();
  return (client) => {
    let it = made.get(client);
    if (it === undefined) {
      it = make(client);
      made.set(client, it);
    }
    return it;
  };
}
