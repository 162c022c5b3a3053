import { randomUUID } from "node:crypto";
import { decodeJwt } from "jose";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { cookieOf } from "../support/cookies.ts";
import { adminQuery, serverUrl } from "../support/postgres.ts";
import { sleep } from "../support/requests.ts";
import { dropDatabase, freshDatabase, type RunningServer, startServer } from "../support/server.ts";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy.ts";
import type { TestUser } from "../support/users.ts";

/**
 * Database outages against real production server processes (`node scripts/start.ts`), which reach PostgreSQL
 * through a TCP proxy the test controls. In every scenario every task route, the health check and the auth routes
 * answer 503 `service_unavailable` promptly; once the database is back the same processes serve again, without a
 * restart; and no write that was acknowledged with a 2xx is missing afterwards.
 *
 * Two servers share one database, so that a failure surfaces in each place it can:
 * - "limited" runs with the default rate limits, which take their budgets from PostgreSQL: its auth routes fail in
 *   the limiter, its task routes in the limiter, the session check (lib/auth/revocation.ts) or the query itself.
 * - "unlimited" runs without rate limits, so its auth routes fail inside Better Auth; it verifies no token before the
 *   first outage, so there its task routes fail reading the key set (lib/auth/bearer.ts).
 * The scenarios run in order on the same two processes; each ends with the database reachable again.
 */

/** How long any request may take to answer 503 during an outage. */
const UNAVAILABLE_WITHIN_MS = 10_000;
/** The health check's own budget (lib/health.ts), with room for a busy machine. */
const HEALTH_WITHIN_MS = 4_500;
/** How long the servers may take to serve again once the database is back. */
const RECOVERED_WITHIN_MS = 10_000;
/** Long enough for a request that hangs to be told from one that is merely slow. */
const REQUEST_ABORT_MS = 20_000;
/** Each outage lasts at least this long, so that the write streams run into it. */
const MIN_OUTAGE_MS = 1_500;
/** Pooled connections each server opens before the "terminated" scenario: more than its probes and writes need. */
const WARM_CONNECTIONS = 18;
const POOL_MAX = 20;
/** Both servers are instances of one service behind one public URL: a token one issues, the other accepts. */
const PUBLIC_URL = "http://taskapp.test";

/** An answer and how long it took; a request that got none (refused, reset, timed out) is status 0 with `failure`. */
type Sent = { status: number; ms: number; response: Response; failure?: string };

async function send(
  server: RunningServer,
  method: string,
  path: string,
  options: { token?: string; cookie?: string; json?: unknown } = {},
): Promise<Sent> {
  const headers = new Headers({ Origin: PUBLIC_URL });
  if (options.token) headers.set("Authorization", `Bearer ${options.token}`);
  if (options.cookie) headers.set("Cookie", options.cookie);
  if (options.json !== undefined) headers.set("Content-Type", "application/json");
  const started = performance.now();
  try {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers,
      body: options.json === undefined ? undefined : JSON.stringify(options.json),
      signal: AbortSignal.timeout(REQUEST_ABORT_MS),
    });
    // The body is part of the answer: read it before the clock stops.
    const body = await response.arrayBuffer();
    const ms = performance.now() - started;
    const nullBody = [101, 204, 205, 304].includes(response.status);
    return { status: response.status, ms, response: new Response(nullBody ? null : body, response) };
  } catch (error) {
    return { status: 0, ms: performance.now() - started, response: Response.error(), failure: String(error) };
  }
}

const tasksPath = (user: { id: string }) => `/api/${user.id}/tasks`;

async function signUp(server: RunningServer, name: string): Promise<TestUser> {
  const email = `outage-${randomUUID()}@example.test`;
  const password = "correct horse battery staple";
  const signedUp = await send(server, "POST", "/api/auth/sign-up/email", { json: { name, email, password } });
  expect(signedUp.status, await signedUp.response.clone().text()).toBe(200);
  const { user } = (await signedUp.response.json()) as { user: { id: string } };
  const cookie = cookieOf(signedUp.response);
  const issued = await send(server, "GET", "/api/auth/token", { cookie });
  expect(issued.status, await issued.response.clone().text()).toBe(200);
  const { token } = (await issued.response.json()) as { token: string };
  return { id: user.id, email, password, cookie, token, sessionId: String(decodeJwt(token).sid) };
}

type Probe = { name: string; run: () => Promise<Sent> };

/**
 * One request to every task route, the health check and the auth routes; `taskId` is a task of `user`'s, and
 * `session` the cookie of a session of theirs to sign out of.
 */
function probes(server: RunningServer, user: TestUser, taskId: string, session: string, title = "probe"): Probe[] {
  const { token, cookie, email, password } = user;
  const one = `${tasksPath(user)}/${taskId}`;
  return [
    { name: "GET /api/{userId}/tasks", run: () => send(server, "GET", tasksPath(user), { token }) },
    {
      name: "POST /api/{userId}/tasks",
      run: () => send(server, "POST", tasksPath(user), { token, json: { title } }),
    },
    { name: "GET /api/{userId}/tasks/{taskId}", run: () => send(server, "GET", one, { token }) },
    {
      name: "PUT /api/{userId}/tasks/{taskId}",
      run: () => send(server, "PUT", one, { token, json: { title: "put", description: null, completed: false } }),
    },
    {
      name: "PATCH /api/{userId}/tasks/{taskId}",
      run: () => send(server, "PATCH", one, { token, json: { completed: true } }),
    },
    {
      name: "GET /api/{userId}/tasks/summary",
      run: () => send(server, "GET", `${tasksPath(user)}/summary`, { token }),
    },
    // DELETE last: the checks after recovery run the probes in order.
    { name: "DELETE /api/{userId}/tasks/{taskId}", run: () => send(server, "DELETE", one, { token }) },
    { name: "GET /api/health", run: () => send(server, "GET", "/api/health") },
    {
      name: "POST /api/auth/sign-in/email",
      run: () => send(server, "POST", "/api/auth/sign-in/email", { json: { email, password } }),
    },
    {
      name: "POST /api/auth/sign-up/email",
      run: () =>
        send(server, "POST", "/api/auth/sign-up/email", {
          json: { name: "Probe", email: `probe-${randomUUID()}@example.test`, password },
        }),
    },
    { name: "GET /api/auth/token", run: () => send(server, "GET", "/api/auth/token", { cookie }) },
    { name: "GET /api/auth/get-session", run: () => send(server, "GET", "/api/auth/get-session", { cookie }) },
    // Better Auth answers a sign-out it could not record with a success (the session would stay valid).
    {
      name: "POST /api/auth/sign-out",
      run: () => send(server, "POST", "/api/auth/sign-out", { cookie: session, json: {} }),
    },
  ];
}

/** What is wrong with an answer that should be a prompt 503 in the API's error format (nothing, if it is one). */
async function unavailableProblems(name: string, sent: Sent): Promise<string[]> {
  const text = sent.failure ?? (await sent.response.text());
  const label = `${name}: ${sent.status} after ${Math.round(sent.ms)} ms`;
  const { headers } = sent.response;
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Reported below: not the error body.
  }
  const problems = [
    sent.status !== 503 && `${label} ${text.slice(0, 200)}`,
    sent.ms > UNAVAILABLE_WITHIN_MS && `${label}: slower than ${UNAVAILABLE_WITHIN_MS} ms`,
    !/^application\/json/.test(headers.get("content-type") ?? "") && `${label}: not JSON`,
    !/^\d+$/.test(headers.get("retry-after") ?? "") && `${label}: no Retry-After`,
    !/^[0-9a-f-]{36}$/.test(headers.get("x-request-id") ?? "") && `${label}: no X-Request-Id`,
    (Object.keys(body).sort().join() !== "detail,error" ||
      body.error !== "service_unavailable" ||
      typeof body.detail !== "string") &&
      `${label}: body ${text.slice(0, 200)}`,
    // The cause is logged with the request id, never returned.
    /127\.0\.0\.1|taskapp_|postgres/i.test(text) && `${label}: the body names the database: ${text.slice(0, 200)}`,
    name.includes("/api/health") && sent.ms > HEALTH_WITHIN_MS && `${label}: slower than ${HEALTH_WITHIN_MS} ms`,
  ];
  return problems.filter((problem): problem is string => typeof problem === "string");
}

type Write =
  | { kind: "create"; title: string; status: number; id?: string }
  | { kind: "patch"; taskId: string; description: string; status: number };

/**
 * Creates and patches tasks one after another until stopped, recording what each request was answered. Every answer
 * must be a 2xx or a 503, in bounded time: never a 500, never a hang.
 */
function startWriteStream(server: RunningServer, user: TestUser, label: string) {
  const writes: Write[] = [];
  const unexpected: string[] = [];
  const created: string[] = [];
  let stopped = false;
  let sendingSince: number | undefined;
  let gate: Promise<void> | undefined;
  let idle: (() => void) | undefined;
  const done = (async () => {
    for (let n = 0; !stopped; n++) {
      idle?.();
      await gate;
      let sent: Sent;
      sendingSince = performance.now();
      if (n % 2 === 0 || created.length === 0) {
        const title = `${label} #${n}`;
        sent = await send(server, "POST", tasksPath(user), { token: user.token, json: { title } });
        const id = sent.status === 201 ? ((await sent.response.json()) as { id: string }).id : undefined;
        if (id) created.push(id);
        writes.push({ kind: "create", title, status: sent.status, id });
      } else {
        const taskId = created[n % created.length] as string;
        const description = `${label} patch #${n}`;
        sent = await send(server, "PATCH", `${tasksPath(user)}/${taskId}`, {
          token: user.token,
          json: { description },
        });
        writes.push({ kind: "patch", taskId, description, status: sent.status });
      }
      sendingSince = undefined;
      const ok = (sent.status >= 200 && sent.status < 300) || sent.status === 503;
      if (!ok || sent.ms > UNAVAILABLE_WITHIN_MS) {
        unexpected.push(`${sent.status} after ${Math.round(sent.ms)} ms ${sent.failure ?? ""}`);
      }
      await sleep(100);
    }
  })();
  return {
    writes,
    unexpected,
    /** Whether a write sent after `since` (performance.now()) is waiting for its answer. */
    sendingSince: (since: number) => sendingSince !== undefined && sendingSince >= since,
    /** Runs `action` while no write is in flight, and sends the next write only once it is done. */
    async between(action: () => Promise<void>): Promise<void> {
      let open = () => {};
      gate = new Promise((resolve) => {
        open = resolve;
      });
      try {
        if (sendingSince !== undefined) await new Promise<void>((resolve) => (idle = resolve));
        await action();
      } finally {
        idle = undefined;
        gate = undefined;
        open();
      }
    },
    async stop() {
      stopped = true;
      await done;
    },
  };
}

type StoredTask = { id: string; title: string; description: string | null };

/** Every acknowledged write is in `stored` (read from the database): created tasks exist, no later patch is lost. */
function expectAcknowledgedWrites(stored: Map<string, StoredTask>, writes: Write[]): void {
  const acknowledged = (write: Write) => write.status >= 200 && write.status < 300;
  for (const [index, write] of writes.entries()) {
    if (write.kind === "create") {
      if (acknowledged(write)) expect(stored.get(write.id as string)?.title, write.title).toBe(write.title);
      continue;
    }
    if (!acknowledged(write)) continue;
    // The writes were sent one at a time: the stored description is this one, or that of a later patch to the same
    // task, whose answer may have been lost in the outage while its write went through.
    const later = writes.slice(index + 1).filter((other) => other.kind === "patch" && other.taskId === write.taskId);
    if (later.some(acknowledged)) continue;
    const allowed = [write.description, ...later.map((other) => (other as { description: string }).description)];
    expect(allowed, `patch of ${write.taskId}`).toContain(stored.get(write.taskId)?.description);
  }
}

/** Polls until `check` reports nothing wrong, and returns how long that took. */
async function waitUntil(check: () => Promise<string | undefined>, withinMs: number, what: string): Promise<number> {
  const started = performance.now();
  for (;;) {
    const wrong = await check();
    const elapsed = performance.now() - started;
    if (wrong === undefined) return elapsed;
    if (elapsed > withinMs) throw new Error(`${what} did not happen within ${withinMs} ms: ${wrong}`);
    await sleep(100);
  }
}

async function backendsOf(database: string): Promise<number> {
  const { rows } = await adminQuery(
    serverUrl() as string,
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = '${database}' AND pid <> pg_backend_pid()`,
  );
  return (rows[0] as { n: number }).n;
}

/** Ends every session on `database`, as a restart or a failover does, and waits until they are gone. */
async function terminateSessions(database: string): Promise<void> {
  await adminQuery(
    serverUrl() as string,
    `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${database}' AND pid <> pg_backend_pid()`,
  );
  await waitUntil(
    async () => ((await backendsOf(database)) === 0 ? undefined : "sessions left"),
    5_000,
    `the sessions on ${database} ending`,
  );
}

type Outage = {
  /** Sends the probes; resolves once every one is answered. */
  fire(): Promise<void>;
  /** Runs `action` between two writes of the write stream. */
  betweenWrites(action: () => Promise<void>): Promise<void>;
  /** Resolves once the write stream has a write in flight that was sent after `since` (performance.now()). */
  writing(since: number): Promise<void>;
};

type Scenario = {
  name: string;
  /** Brings the outage about and sends the probes during it (some scenarios must time them). */
  begin(outage: Outage): Promise<void>;
  /** Ends the outage: the database can be reached again. */
  end(): Promise<void>;
  /**
   * Whether a write answered 503 may still be applied afterwards: what a client sent on a connection it has given up
   * on is delivered once a partition heals (TCP does not drop it), so its outcome is unknown.
   */
  refusedWritesMayLand?: boolean;
  /** A tighter bound for the probes, where the failure is immediate rather than a timeout. */
  probesWithinMs?: number;
};

describe.runIf(inject("templateDatabase"))("When the database goes away and comes back", () => {
  let proxy: TcpProxy;
  let database: { name: string; url: string };
  let limited: RunningServer;
  let unlimited: RunningServer;
  let alice: TestUser;
  let writer: TestUser;

  beforeAll(async () => {
    const server = new URL(serverUrl() as string);
    proxy = await startTcpProxy({ host: server.hostname, port: Number(server.port || 5432) });
    database = await freshDatabase();
    const connectUrl = proxy.urlFor(database.url);
    const shared = { DATABASE_POOL_MAX: String(POOL_MAX), BETTER_AUTH_URL: PUBLIC_URL, CORS_ORIGINS: PUBLIC_URL };
    [limited, unlimited] = await Promise.all([
      startServer({ database, connectUrl, env: shared }),
      startServer({
        database,
        connectUrl,
        env: { ...shared, AUTH_RATE_LIMIT: "off", API_RATE_LIMIT: "off" },
      }),
    ]);
    // Sign-ups and tokens through the limited server: the unlimited one verifies no token before the first outage.
    [alice, writer] = await Promise.all([signUp(limited, "Alice"), signUp(limited, "Writer")]);
  });

  afterAll(async () => {
    await Promise.all([limited?.stop(), unlimited?.stop()]);
    await proxy?.close();
    if (database) {
      await adminQuery(serverUrl() as string, `ALTER DATABASE "${database.name}" ALLOW_CONNECTIONS true`);
      await dropDatabase(database.name);
    }
  });

  async function createTaskOver(server: RunningServer, title: string): Promise<string> {
    const sent = await send(server, "POST", tasksPath(alice), { token: alice.token, json: { title } });
    expect(sent.status, await sent.response.clone().text()).toBe(201);
    return ((await sent.response.json()) as { id: string }).id;
  }

  /** A new session of Alice's, to sign out of (through the unlimited server: sign-ins there are not limited). */
  async function aliceSession(): Promise<string> {
    const { email, password } = alice;
    const sent = await send(unlimited, "POST", "/api/auth/sign-in/email", { json: { email, password } });
    expect(sent.status, await sent.response.clone().text()).toBe(200);
    return cookieOf(sent.response);
  }

  /** A query on the servers' database, directly (not through the proxy). */
  async function query(sql: string, values: unknown[]) {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      return await client.query(sql, values);
    } finally {
      await client.end();
    }
  }

  /** Directly in the database: the unlimited server must not verify a token before the first outage. */
  async function insertTask(title: string): Promise<string> {
    const id = randomUUID();
    await query("INSERT INTO tasks (id, title, user_id, position) VALUES ($1, $2, $3, 'a0')", [id, title, alice.id]);
    return id;
  }

  /** Every route of both servers answers 2xx, in order (DELETE last). */
  async function expectServing(): Promise<void> {
    for (const [index, server] of [limited, unlimited].entries()) {
      expect(server.process.exitCode, "the server process is still running").toBeNull();
      const taskId = await createTaskOver(server, `served ${index}`);
      for (const probe of probes(server, alice, taskId, await aliceSession())) {
        const sent = await probe.run();
        const label = `${probe.name} after recovery: ${sent.status} ${sent.failure ?? (await sent.response.text())}`;
        expect(sent.status >= 200 && sent.status < 300, label).toBe(true);
      }
    }
  }

  /** Until both servers answer the health check and a task list with 200. */
  async function waitForRecovery(): Promise<number> {
    return waitUntil(
      async () => {
        const answers = await Promise.all(
          [limited, unlimited].flatMap((server) => [
            send(server, "GET", "/api/health"),
            send(server, "GET", tasksPath(alice), { token: alice.token }),
          ]),
        );
        const wrong = answers.filter((sent) => sent.status !== 200);
        if (wrong.length === 0) return undefined;
        const texts = await Promise.all(wrong.map(async (sent) => sent.failure ?? (await sent.response.text())));
        return wrong.map((sent, index) => `${sent.status} ${texts[index]}`).join("; ");
      },
      RECOVERED_WITHIN_MS,
      "recovery",
    );
  }

  /** Runs one outage scenario end to end, and reports its worst time to 503 and its time to recovery. */
  async function runScenario(scenario: Scenario): Promise<void> {
    const servers = [limited, unlimited];
    const probeTasks = await Promise.all(servers.map((_, index) => insertTask(`${scenario.name} probe ${index}`)));
    const refusedTitle = `${scenario.name} refused ${randomUUID()}`;
    const sessions = await Promise.all(servers.map(() => aliceSession()));
    const all = servers.flatMap((server, index) =>
      probes(server, alice, probeTasks[index] as string, sessions[index] as string, refusedTitle).map((probe) => ({
        name: `${index === 0 ? "limited" : "unlimited"} ${probe.name}`,
        run: probe.run,
      })),
    );
    const results: { name: string; sent: Sent }[] = [];
    const fire = async () => {
      results.push(...(await Promise.all(all.map(async ({ name, run }) => ({ name, sent: await run() })))));
    };
    // On the limited server only: the unlimited one must verify no token before the first outage.
    const stream = startWriteStream(limited, writer, scenario.name);
    const writing = (since: number) =>
      waitUntil(async () => (stream.sendingSince(since) ? undefined : "no write in flight"), 5_000, "a write").then(
        () => {},
      );

    let recoveryMs: number;
    try {
      await sleep(300);
      const outageStarted = performance.now();
      try {
        await scenario.begin({ fire, writing, betweenWrites: (action) => stream.between(action) });
        const problems = (await Promise.all(results.map(({ name, sent }) => unavailableProblems(name, sent)))).flat();
        expect(problems, "answers during the outage that are not a prompt 503").toEqual([]);
        const bound = scenario.probesWithinMs;
        if (bound) expect(results.filter(({ sent }) => sent.ms > bound).map(({ name }) => name)).toEqual([]);
        await sleep(MIN_OUTAGE_MS - (performance.now() - outageStarted));
      } finally {
        await scenario.end();
      }
      recoveryMs = await waitForRecovery();
      // The same processes serve every route again, without a restart.
      await expectServing();
      await sleep(300);
    } finally {
      await stream.stop();
    }

    const { writes } = stream;
    expect(stream.unexpected, "write answers other than 2xx or a prompt 503").toEqual([]);
    const refused = writes.filter((write) => write.status === 503).length;
    expect(refused, "writes refused during the outage").toBeGreaterThan(0);
    const { rows } = await query("SELECT id, title, description FROM tasks WHERE user_id = $1", [writer.id]);
    expectAcknowledgedWrites(new Map((rows as StoredTask[]).map((row) => [row.id, row])), writes);
    if (!scenario.refusedWritesMayLand) {
      // The probes reached no session that could run them: what was refused was not stored either.
      const stored = await query("SELECT count(*)::int AS n FROM tasks WHERE title = $1", [refusedTitle]);
      expect(stored.rows[0]?.n, "tasks stored by creates answered 503").toBe(0);
    }
    const errors = servers.flatMap((server) => server.output.filter((line) => line.includes('"level":"error"')));
    expect(errors, "error log lines (500s, unhandled failures)").toEqual([]);

    const worst = results.reduce((slowest, result) => (result.sent.ms > slowest.sent.ms ? result : slowest));
    console.info(
      `${scenario.name}: ${results.length} probes 503, slowest ${Math.round(worst.sent.ms)} ms (${worst.name}); ` +
        `served again after ${Math.round(recoveryMs)} ms; ${writes.length - refused} writes acknowledged and ` +
        `found, ${refused} refused with 503`,
    );
  }

  it("the TCP path is cut: connections reset, new ones refused", { timeout: 60_000 }, async () => {
    await runScenario({
      name: "cut",
      async begin({ fire }) {
        await proxy.setMode("cut");
        await fire();
      },
      end: () => proxy.setMode("forward"),
    });
  });

  it("the TCP path is blackholed: connections accepted, nothing answered", { timeout: 60_000 }, async () => {
    await runScenario({
      name: "blackhole",
      async begin({ fire }) {
        await proxy.setMode("blackhole");
        await fire();
      },
      end: () => proxy.setMode("forward"),
      refusedWritesMayLand: true,
    });
  });

  it("the database terminates the app's sessions while requests are in flight", { timeout: 60_000 }, async () => {
    await runScenario({
      name: "terminated",
      async begin({ fire, writing, betweenWrites }) {
        // Requests must be in flight on pooled connections when the sessions end: hold the path, so that what the
        // servers send waits in the proxy, then end the sessions and let the path forward again. Connections opened
        // while the path is held would reach a fresh session, so the pools are first filled with enough of them.
        await proxy.setMode("blackhole");
        const warming = Promise.all(
          [limited, unlimited].flatMap((server) =>
            Array.from({ length: WARM_CONNECTIONS }, () => send(server, "GET", "/api/health")),
          ),
        );
        await sleep(500);
        await proxy.setMode("forward");
        await warming;
        // The next write is sent while the path is held, and must be answered 503 too.
        let held = 0;
        await betweenWrites(async () => {
          await proxy.setMode("blackhole");
          held = performance.now();
        });
        const probing = fire();
        await sleep(500);
        await writing(held);
        await terminateSessions(database.name);
        await proxy.setMode("forward");
        await probing;
      },
      end: () => proxy.setMode("forward"),
      // Answered by the sessions' end, not by a query timeout (which would make this a blackhole).
      probesWithinMs: 3_000,
    });
  });

  it("the database refuses new connections and ends the open ones", { timeout: 60_000 }, async () => {
    await runScenario({
      name: "refusing",
      async begin({ fire }) {
        await adminQuery(serverUrl() as string, `ALTER DATABASE "${database.name}" ALLOW_CONNECTIONS false`);
        await terminateSessions(database.name);
        await fire();
      },
      async end() {
        await adminQuery(serverUrl() as string, `ALTER DATABASE "${database.name}" ALLOW_CONNECTIONS true`);
      },
    });
  });
});
