// A TCP proxy in front of PostgreSQL that counts the round-trips clients make: each simple query ('Q') and each
// extended-protocol batch ending in Sync ('S'; node-postgres sends one per parameterised statement). Used by
// `npm run bench:http` (statements per request) and tests/http/personal-tokens.test.ts (a warm token costs none).
import { createServer, type Server, Socket } from "node:net";

export type StatementCounter = {
  readonly port: number;
  /** Round-trips sent through the proxy since it started. */
  readonly statements: number;
  /** `url` (a postgres:// URL) pointing at the proxy instead. */
  urlFor(url: string): string;
  close(): Promise<void>;
};

const SSL_REQUEST = 80877103;
const GSS_REQUEST = 80877104;

/** Reads the client's side of one connection: untyped startup messages first, then typed ones. */
function frontendParser(count: () => void): (chunk: Buffer) => void {
  let buffer = Buffer.alloc(0);
  let started = false;
  return (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      if (!started) {
        if (buffer.length < 8) return;
        const length = buffer.readInt32BE(0);
        if (buffer.length < length) return;
        const code = buffer.readInt32BE(4);
        // An SSL or GSS request is answered with one byte, then the real startup message follows.
        if (code !== SSL_REQUEST && code !== GSS_REQUEST) started = true;
        buffer = buffer.subarray(length);
        continue;
      }
      if (buffer.length < 5) return;
      const type = String.fromCharCode(buffer[0] as number);
      const length = buffer.readInt32BE(1);
      if (buffer.length < length + 1) return;
      if (type === "Q" || type === "S") count();
      buffer = buffer.subarray(length + 1);
    }
  };
}

export async function startStatementCounter(target: { host: string; port: number }): Promise<StatementCounter> {
  let statements = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = new Socket();
    sockets.add(client).add(upstream);
    const parse = frontendParser(() => {
      statements += 1;
    });
    client.on("data", (chunk) => {
      parse(chunk);
      upstream.write(chunk);
    });
    upstream.on("data", (chunk) => client.write(chunk));
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      from.on("error", () => to.destroy());
      from.on("close", () => {
        to.destroy();
        sockets.delete(from);
      });
    }
    upstream.connect(target.port, target.host);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    get statements() {
      return statements;
    },
    urlFor(url) {
      const proxied = new URL(url);
      proxied.hostname = "127.0.0.1";
      proxied.port = String(port);
      return proxied.href;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
