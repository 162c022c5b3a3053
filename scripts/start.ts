// `node scripts/start.ts [-p port] [-H hostname]` (`npm start`): the production server. Next's request handler behind
// a plain Node HTTP server that does three things `next start` cannot:
// 1. The TCP peer's address goes into x-taskapp-peer-address (any client-sent copy is dropped), which is where the
//    app reads the client's address when CLIENT_ADDRESS_SOURCE=socket. Next keeps a client-sent X-Forwarded-For.
// 2. TRACE and TRACK, which the Fetch API cannot represent (Next answers them with a plain-text 500), reach the app as
//    OPTIONS with x-taskapp-refused-method, so each route answers 405 with its own Allow. CONNECT gets a 405 here.
// 3. SIGTERM and SIGINT stop new connections, let in-flight requests finish, then exit 0 (1 if they would not).
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import next from "next";

const PEER_ADDRESS_HEADER = "x-taskapp-peer-address";
const REFUSED_METHOD_HEADER = "x-taskapp-refused-method";
const UNREPRESENTABLE_METHODS = new Set(["TRACE", "TRACK"]);
const SHUTDOWN_DEADLINE_MS = Number(process.env.SHUTDOWN_TIMEOUT_MS ?? 20_000);

function option(flags: string[], fallback: string | undefined): string | undefined {
  const args = process.argv.slice(2);
  const index = args.findIndex((arg) => flags.includes(arg));
  return index >= 0 ? args[index + 1] : fallback;
}

const port = Number(option(["-p", "--port"], process.env.PORT) ?? 3000);
const hostname = option(["-H", "--hostname"], process.env.HOSTNAME) ?? "0.0.0.0";

(process.env as Record<string, string | undefined>).NODE_ENV ??= "production";
// Tells lib/env.ts that the socket's address is in PEER_ADDRESS_HEADER and can be trusted.
process.env.TASKAPP_START_SCRIPT = "1";

const app = next({ dev: false, hostname, port });
const handle = app.getRequestHandler();

function prepare(request: IncomingMessage): void {
  delete request.headers[PEER_ADDRESS_HEADER];
  delete request.headers[REFUSED_METHOD_HEADER];
  const peer = request.socket.remoteAddress;
  if (peer) request.headers[PEER_ADDRESS_HEADER] = peer;
  const method = request.method ?? "";
  if (UNREPRESENTABLE_METHODS.has(method)) {
    request.headers[REFUSED_METHOD_HEADER] = method;
    request.method = "OPTIONS";
  }
}

/** CONNECT asks for a tunnel, which Node hands over as a raw socket: a 405 in the API's error format, then close. */
function refuseConnect(socket: Socket): void {
  const body = JSON.stringify({ error: "method_not_allowed", detail: "CONNECT is not allowed here." });
  socket.end(
    [
      "HTTP/1.1 405 Method Not Allowed",
      "Allow: GET, HEAD, OPTIONS",
      "Content-Type: application/json",
      `Content-Length: ${Buffer.byteLength(body)}`,
      `X-Request-Id: ${randomUUID()}`,
      "X-Content-Type-Options: nosniff",
      "Connection: close",
      "",
      body,
    ].join("\r\n"),
  );
}

let inFlight = 0;
let shuttingDown = false;

const server = createServer((request, response) => {
  inFlight++;
  response.on("close", () => {
    inFlight--;
    if (shuttingDown) server.closeIdleConnections();
  });
  if (shuttingDown) response.setHeader("Connection", "close");
  prepare(request);
  handle(request, response).catch((error: unknown) => {
    console.error(JSON.stringify({ level: "error", msg: "unhandled", error: String(error) }));
    if (!response.headersSent) response.writeHead(500, { "Content-Type": "application/json" });
    response.end();
  });
});
server.on("connect", (_request, socket: Socket) => refuseConnect(socket));

async function shutDown(signal: NodeJS.Signals): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  console.log(JSON.stringify({ level: "info", msg: "shutting down", signal, in_flight: inFlight }));
  const drained = new Promise<boolean>((resolve) => server.close(() => resolve(true)));
  server.closeIdleConnections();
  const deadline = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), SHUTDOWN_DEADLINE_MS).unref());
  const clean = await Promise.race([drained, deadline]);
  if (!clean) server.closeAllConnections();
  const holder = globalThis as typeof globalThis & { prismaClient?: { $disconnect(): Promise<void> } };
  await holder.prismaClient?.$disconnect().catch(() => {});
  console.log(JSON.stringify({ level: clean ? "info" : "warn", msg: clean ? "stopped" : "stopped with requests cut" }));
  process.exit(clean ? 0 : 1);
}

for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => void shutDown(signal));

await app.prepare();
server.listen(port, hostname, () => {
  const address = server.address();
  const bound = typeof address === "object" && address ? address.port : port;
  console.log(JSON.stringify({ level: "info", msg: "listening", url: `http://${hostname}:${bound}` }));
});
