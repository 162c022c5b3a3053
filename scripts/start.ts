// `node scripts/start.ts [-p port] [-H hostname]` (`npm start`): the production server. Next's request handler behind
// a plain Node HTTP server that does three things `next start` cannot:
// 1. The TCP peer's address goes into x-taskapp-peer-address (any client-sent copy is dropped), which is where the
//    app reads the client's address when CLIENT_ADDRESS_SOURCE=socket. Next keeps a client-sent X-Forwarded-For.
// 2. Methods the app does not route (TRACE, which the Fetch API cannot even represent and Next answers with a
//    plain-text 500; WebDAV's COPY, LOCK…, which Next answers with a bare 400) reach it as OPTIONS with
//    x-taskapp-refused-method, so each route answers 405 with its own Allow. CONNECT gets a 405 here, and what Node
//    cannot parse as HTTP (an unknown method such as TRACK, a bad header) a JSON 400.
// 3. A header that may appear once but appears twice (two Authorization headers, say) is a 400: Node would silently
//    keep the first, so what the app checked and what the client meant could differ.
// 4. SIGTERM and SIGINT stop new connections, let in-flight requests finish, then exit 0 (1 if they would not).
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import next from "next";
import { apiSecurityHeaders } from "../lib/http/security-headers.ts";
import { PEER_ADDRESS_HEADER, REFUSED_METHOD_HEADER, SINGLETON_HEADERS } from "../lib/http/start-script-headers.ts";
import { log } from "../lib/log.ts";

const ROUTED_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
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
  if (!ROUTED_METHODS.has(method)) {
    request.headers[REFUSED_METHOD_HEADER] = method;
    request.method = "OPTIONS";
  }
}

function repeatedSingleton(request: IncomingMessage): string | undefined {
  const seen = new Set<string>();
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    const name = request.rawHeaders[i]?.toLowerCase() ?? "";
    if (!SINGLETON_HEADERS.has(name)) continue;
    if (seen.has(name)) return name;
    seen.add(name);
  }
  return undefined;
}

/** The head of an error response this script writes itself: what every API error carries. */
function errorHead(headers: Record<string, string> = {}): Record<string, string> {
  return {
    ...apiSecurityHeaders(true),
    "Content-Type": "application/json",
    "X-Request-Id": randomUUID(),
    "Cache-Control": "no-store",
    ...headers,
  };
}

/** An error in the API's format written straight to a socket that Node did not turn into a request, then closed. */
function endSocket(
  socket: Socket,
  status: string,
  error: string,
  detail: string,
  headers: Record<string, string> = {},
) {
  const body = JSON.stringify({ error, detail });
  const head = errorHead({ ...headers, "Content-Length": String(Buffer.byteLength(body)), Connection: "close" });
  const lines = Object.entries(head).map(([name, value]) => `${name}: ${value}`);
  socket.end([`HTTP/1.1 ${status}`, ...lines, "", body].join("\r\n"));
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
  const repeated = repeatedSingleton(request);
  if (repeated) {
    const detail = `Send the ${repeated} header once; this request has it more than once.`;
    response.writeHead(400, errorHead()).end(JSON.stringify({ error: "invalid_request", detail }));
    return;
  }
  prepare(request);
  handle(request, response).catch((error: unknown) => {
    log("error", "unhandled", { error: String(error) });
    if (!response.headersSent) response.writeHead(500, { "Content-Type": "application/json" });
    response.end();
  });
});
// CONNECT asks for a tunnel, which Node hands over as a raw socket.
server.on("connect", (_request, socket: Socket) =>
  endSocket(socket, "405 Method Not Allowed", "method_not_allowed", "CONNECT is not allowed here.", {
    Allow: "GET, HEAD, OPTIONS",
  }),
);
server.on("clientError", (error: NodeJS.ErrnoException, socket: Socket) => {
  if (error.code === "ECONNRESET" || !socket.writable) return socket.destroy();
  const status = error.code === "HPE_HEADER_OVERFLOW" ? "431 Request Header Fields Too Large" : "400 Bad Request";
  endSocket(socket, status, "invalid_request", "The request is not valid HTTP/1.1.");
});

async function shutDown(signal: NodeJS.Signals): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  log("info", "shutting down", { signal, in_flight: inFlight });
  const drained = new Promise<boolean>((resolve) => server.close(() => resolve(true)));
  server.closeIdleConnections();
  const deadline = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), SHUTDOWN_DEADLINE_MS).unref());
  const clean = await Promise.race([drained, deadline]);
  if (!clean) server.closeAllConnections();
  const holder = globalThis as typeof globalThis & { prismaClient?: { $disconnect(): Promise<void> } };
  await holder.prismaClient?.$disconnect().catch(() => {});
  if (clean) log("info", "stopped");
  else log("warn", "stopped with requests cut");
  process.exit(clean ? 0 : 1);
}

for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => void shutDown(signal));

await app.prepare();
server.listen(port, hostname, () => {
  const address = server.address();
  const bound = typeof address === "object" && address ? address.port : port;
  log("info", "listening", { url: `http://${hostname}:${bound}` });
});
