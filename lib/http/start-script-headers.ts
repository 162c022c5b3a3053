// What scripts/start.ts (the production server) and the app agree on. Plain Node imports this file as is (no imports,
// only erasable types): keep it that way.

/**
 * The TCP peer's address, set by the start script on every request after dropping any copy the client sent. Next's
 * own server keeps a client-sent `X-Forwarded-For`, so the socket's address needs a header of its own.
 */
export const PEER_ADDRESS_HEADER = "x-taskapp-peer-address";

/**
 * A method the app does not route (TRACE, which the Fetch API cannot represent; WebDAV's COPY…), which the start
 * script turns into an OPTIONS request carrying the original method in this header (a client's copy is dropped).
 */
export const REFUSED_METHOD_HEADER = "x-taskapp-refused-method";

/** Headers that may appear once: the start script refuses a request that repeats one (Node would keep the first). */
export const SINGLETON_HEADERS: ReadonlySet<string> = new Set([
  "authorization",
  "proxy-authorization",
  "content-type",
  "host",
  "origin",
  "idempotency-key",
]);
