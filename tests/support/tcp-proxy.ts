import { createServer, type Server, Socket } from "node:net";

/**
 * - `forward`: bytes flow both ways.
 * - `cut`: every open connection is reset (RST, both sides) and new ones are refused (nothing listens).
 * - `blackhole`: connections are accepted and kept, but nothing is forwarded either way, like a network partition.
 *   What was sent meanwhile is held, not dropped, and flows once the path forwards again (like TCP after a partition
 *   heals); connections accepted meanwhile reach the target only then.
 */
type ProxyMode = "forward" | "cut" | "blackhole";

export type TcpProxy = {
  readonly port: number;
  readonly mode: ProxyMode;
  /** `url` (e.g. a postgres:// URL) with its host and port replaced by the proxy's. */
  urlFor(url: string): string;
  setMode(mode: ProxyMode): Promise<void>;
  /** Connections open through the proxy now. */
  readonly connections: number;
  close(): Promise<void>;
};

type Pair = { client: Socket; upstream: Socket | undefined };

const HOST = "127.0.0.1";

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, HOST, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

/** A TCP proxy on 127.0.0.1 to `target`, starting in `forward` mode. */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let mode: ProxyMode = "forward";
  const pairs = new Set<Pair>();

  /** Copies `from` to `to` while forwarding, with back-pressure; while not forwarding `from` stays paused. */
  function relay(from: Socket, to: Socket): void {
    from.on("data", (chunk) => {
      if (!to.write(chunk)) {
        from.pause();
        to.once("drain", () => {
          if (mode === "forward") from.resume();
        });
      }
    });
    from.on("end", () => to.end());
  }

  function connectUpstream(pair: Pair): void {
    const upstream = new Socket();
    pair.upstream = upstream;
    upstream.on("error", () => pair.client.destroy());
    upstream.on("close", () => pair.client.destroy());
    relay(pair.client, upstream);
    relay(upstream, pair.client);
    upstream.connect(target.port, target.host);
  }

  const server = createServer({ pauseOnConnect: true }, (client) => {
    const pair: Pair = { client, upstream: undefined };
    pairs.add(pair);
    client.on("error", () => pair.upstream?.destroy());
    client.on("close", () => {
      pair.upstream?.destroy();
      pairs.delete(pair);
    });
    if (mode === "forward") {
      connectUpstream(pair);
      client.resume();
    }
    // In blackhole mode the client stays paused and unconnected until the mode is forward again.
  });
  await listen(server, 0);
  const { port } = server.address() as { port: number };
  let listening = true;

  async function setMode(next: ProxyMode): Promise<void> {
    mode = next;
    if (next === "cut") {
      for (const { client, upstream } of pairs) {
        client.resetAndDestroy();
        upstream?.resetAndDestroy();
      }
      pairs.clear();
      if (listening) {
        listening = false;
        // Stops accepting at once; the callback would wait for connections, which are all gone.
        server.close();
      }
      return;
    }
    if (!listening) {
      await listen(server, port);
      listening = true;
    }
    for (const pair of pairs) {
      if (next === "blackhole") {
        pair.client.pause();
        pair.upstream?.pause();
      } else {
        if (!pair.upstream) connectUpstream(pair);
        pair.client.resume();
        pair.upstream?.resume();
      }
    }
  }

  return {
    port,
    get mode() {
      return mode;
    },
    get connections() {
      return pairs.size;
    },
    urlFor(url: string) {
      const proxied = new URL(url);
      proxied.hostname = HOST;
      proxied.port = String(port);
      return proxied.href;
    },
    setMode,
    async close() {
      for (const { client, upstream } of pairs) {
        client.destroy();
        upstream?.destroy();
      }
      pairs.clear();
      if (listening) await new Promise((resolve) => server.close(resolve));
      listening = false;
    },
  };
}
