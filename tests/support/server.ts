import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { decodeJwt } from "jose";
import { expect, inject } from "vitest";
import { freePort } from "../../scripts/free-port.ts";
import { cookieOf } from "./cookies.ts";
import { adminQuery, databaseUrl, serverUrl } from "./postgres.ts";
import type { TestUser } from "./users.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const START_TIMEOUT_MS = 60_000;

/** True when `next build` has produced the build these tests serve (`npm test` builds it first). */
export const hasProductionBuild = () => existsSync(path.join(ROOT, ".next/BUILD_ID"));

export type RunningServer = {
  url: string;
  /** BETTER_AUTH_URL: the public URL (the `iss` of its tokens, the trusted Origin); instances of one app share it. */
  publicUrl: string;
  /** The database it serves, on the test PostgreSQL server. */
  databaseUrl: string;
  databaseName: string;
  process: ChildProcess;
  /** Every line the server wrote to stdout and stderr so far. */
  output: string[];
  /** Sends SIGTERM and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  exited: Promise<number | null>;
};

/** A database of its own, copied from the migrated template of this test run. */
export async function freshDatabase(): Promise<{ name: string; url: string }> {
  const server = serverUrl();
  const template = inject("templateDatabase");
  if (!server || !template) throw new Error("HTTP-level tests need TEST_DATABASE_URL (a real PostgreSQL server)");
  const name = `taskapp_http_${inject("runId")}_${randomUUID().slice(0, 8)}`;
  await adminQuery(server, `CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  return { name, url: databaseUrl(server, name) };
}

export type ServerOptions = {
  /** Extra or overriding environment variables. */
  env?: Record<string, string>;
  /** Serve this database (e.g. one another server also serves) instead of a fresh one. */
  database?: { name: string; url: string };
  /** The URL the server connects to, when it is not the database's own (e.g. through a proxy). */
  connectUrl?: string;
  /** Another instance of the same app: the same database and public URL. */
  instanceOf?: RunningServer;
};

/**
 * Starts the production server (`node scripts/start.ts`, NODE_ENV=production) on the build in .next, on a real
 * PostgreSQL database, and waits until /api/health answers 200.
 */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  if (!hasProductionBuild()) throw new Error("No production build in .next: run `npm run build` first");
  const sibling = options.instanceOf;
  const database =
    options.database ?? (sibling ? { name: sibling.databaseName, url: sibling.databaseUrl } : await freshDatabase());
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const publicUrl = sibling?.publicUrl ?? url;
  const child = spawn(process.execPath, [path.join(ROOT, "scripts/start.ts"), "-p", String(port), "-H", "127.0.0.1"], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      NODE_ENV: "production",
      DATABASE_URL: options.connectUrl ?? database.url,
      BETTER_AUTH_SECRET: "http-test-secret-that-is-long-enough-0123456789",
      BETTER_AUTH_URL: publicUrl,
      CORS_ORIGINS: publicUrl,
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    let partial = "";
    stream?.setEncoding("utf8").on("data", (chunk: string) => {
      const lines = (partial + chunk).split("\n");
      partial = lines.pop() ?? "";
      output.push(...lines);
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const running: RunningServer = {
    url,
    publicUrl,
    databaseUrl: database.url,
    databaseName: database.name,
    process: child,
    output,
    exited,
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The server exited with ${child.exitCode}:\n${output.join("\n")}`);
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.status === 200) return running;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await running.stop("SIGKILL");
      throw new Error(`The server did not become healthy in ${START_TIMEOUT_MS} ms:\n${output.join("\n")}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** A POST to a running server's Better Auth, from its own origin and with the session cookie, as a browser sends it. */
export function authPostOver(server: RunningServer, path: string, cookie: string, json: unknown = {}) {
  return fetch(`${server.url}/api/auth/${path}`, {
    method: "POST",
    headers: { Cookie: cookie, Origin: server.publicUrl, "Content-Type": "application/json" },
    body: JSON.stringify(json),
  });
}

/** Signs a new person up on a running server, over HTTP, and fetches an API token with the session cookie. */
export async function signUpOver(server: { url: string; publicUrl: string }, name = "HTTP User"): Promise<TestUser> {
  const email = `http-${randomUUID()}@example.test`;
  const password = "correct horse battery staple";
  const response = await fetch(`${server.url}/api/auth/sign-up/email`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: server.publicUrl },
    body: JSON.stringify({ name, email, password }),
  });
  if (response.status !== 200) throw new Error(`sign-up answered ${response.status}: ${await response.text()}`);
  const { user } = (await response.json()) as { user: { id: string } };
  const cookie = cookieOf(response);
  const token = await tokenOver(server, cookie);
  return { id: user.id, email, password, cookie, token, sessionId: String(decodeJwt(token).sid) };
}

export async function tokenOver(server: { url: string }, cookie: string): Promise<string> {
  const response = await fetch(`${server.url}/api/auth/token`, { headers: { Cookie: cookie } });
  if (response.status !== 200) throw new Error(`token answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}

/** A request of `user` to their own API on a running server (`path` after `/api/{userId}`): expects a 2xx. */
export async function apiOver<T>(
  server: { url: string },
  user: TestUser,
  method: string,
  path: string,
  json?: unknown,
) {
  const response = await fetch(`${server.url}/api/${user.id}${path}`, {
    method,
    headers: { Authorization: `Bearer ${user.token}`, ...(json ? { "Content-Type": "application/json" } : {}) },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  expect(response.status, await response.clone().text()).toBeLessThan(300);
  return (response.status === 204 ? undefined : await response.json()) as T;
}

/** Drops the server's database (after the server stopped). */
export async function dropDatabase(name: string): Promise<void> {
  const server = serverUrl();
  if (server) await adminQuery(server, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}
