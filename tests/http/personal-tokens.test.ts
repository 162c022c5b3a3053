import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TaskJson } from "@/lib/tasks/schema";
import type { CreatedTokenJson } from "@/lib/tokens/schema";
import { type StatementCounter, startStatementCounter } from "../../scripts/statement-counter.ts";
import { adminQuery, serverUrl } from "../support/postgres.ts";
import { type RunningServer, signUpOver, startServer } from "../support/server.ts";
import type { TestUser } from "../support/users.ts";

/**
 * Personal tokens across real instances: two `next start` processes on one database. The second verifies a token once
 * and then from its cache (no statement), and still refuses it on its next request once another instance or the
 * database revoked it: the revocation reaches it through its LISTEN connection (ADR 0019). An instance that hears no
 * notifications never caches, and one that loses its connection forgets what it cached.
 */

const ENV = { API_RATE_LIMIT: "off", AUTH_RATE_LIMIT: "off", REQUEST_LOG: "off" };

let a: RunningServer;
let b: RunningServer;
/** b's pool goes through it (its LISTEN connection does not): what b asks the database per request. */
let counter: StatementCounter;

beforeAll(async () => {
  a = await startServer({ env: ENV });
  const database = new URL(a.databaseUrl);
  counter = await startStatementCounter({ host: database.hostname, port: Number(database.port || 5432) });
  b = await startServer({
    env: { ...ENV, CHANGES_LISTEN_URL: a.databaseUrl },
    instanceOf: a,
    connectUrl: counter.urlFor(a.databaseUrl),
  });
}, 120_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await counter?.close();
});

async function setUp(name: string): Promise<{ user: TestUser; token: CreatedTokenJson; task: TaskJson }> {
  const user = await signUpOver(a, name);
  const headers = { Authorization: `Bearer ${user.token}`, "Content-Type": "application/json" };
  const created = await fetch(`${a.url}/api/${user.id}/tokens`, {
    method: "POST",
    headers,
    body: JSON.stringify({ name: "cron", scope: "tasks:read" }),
  });
  expect(created.status).toBe(201);
  const task = await fetch(`${a.url}/api/${user.id}/tasks`, {
    method: "POST",
    headers,
    body: JSON.stringify({ title: "Read by cron" }),
  });
  return { user, token: (await created.json()) as CreatedTokenJson, task: (await task.json()) as TaskJson };
}

const getTask = (server: RunningServer, user: TestUser, task: TaskJson, secret: string, method = "GET") =>
  fetch(`${server.url}/api/${user.id}/tasks/${task.id}`, { method, headers: { Authorization: `Bearer ${secret}` } });

/** Round-trips b made for `requests` GETs of the task with the token. */
async function statementsFor(requests: number, get: () => Promise<Response>): Promise<number> {
  const before = counter.statements;
  for (let i = 0; i < requests; i++) expect((await get()).status).toBe(200);
  return counter.statements - before;
}

/** Sends GETs until one costs b a single statement (the task's): its cache holds the token and is trusted. */
async function warm(get: () => Promise<Response>): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if ((await statementsFor(1, get)) === 1) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("the token never came from b's cache");
}

/** Polls until the token is refused: how many requests still got through after the revocation (0 is the rule). */
async function refusedAfter(get: () => Promise<Response>): Promise<{ status: number; through: number; body: string }> {
  for (let through = 0; through < 200; through++) {
    const response = await get();
    if (response.status !== 200) return { status: response.status, through, body: await response.text() };
  }
  return { status: 200, through: 200, body: "" };
}

describe("A personal token across instances", () => {
  it("costs a warm instance no round-trip beyond the task's own (HEAD too), and the JWT path is untouched", async () => {
    const { user, token, task } = await setUp("Ada");
    const get = () => getTask(b, user, task, token.secret);
    await warm(get);
    expect(await statementsFor(20, get)).toBe(20);
    expect((await getTask(b, user, task, token.secret, "HEAD")).status).toBe(200);
    expect((await getTask(b, user, task, user.token)).status).toBe(200);
  });

  it("revoked through the other instance, it is refused on the warm one's next request, every time", async () => {
    // The first revocation finds the revoking instance without a listener of its own (it served no token yet).
    for (let round = 0; round < 10; round++) {
      const { user, token, task } = await setUp(`Grace ${round}`);
      const get = () => getTask(b, user, task, token.secret);
      await warm(get);
      const revoked = await fetch(`${a.url}/api/${user.id}/tokens/${token.id}`, {
        method: "DELETE",
        headers: { Authorization: `Bearer ${user.token}` },
      });
      expect(revoked.status).toBe(204);
      const refusal = await refusedAfter(get);
      expect(refusal.status).toBe(401);
      expect(refusal.body).toContain("revoked");
      expect(refusal.through, `round ${round}`).toBe(0);
      expect((await getTask(a, user, task, token.secret)).status).toBe(401);
    }
  });

  it("revoked in the database itself (no instance involved), or its user deleted, it is refused once the notification is in", async () => {
    // No revoking request waits for the instances' acknowledgements here: the trigger's NOTIFY is all they get.
    const { user, token, task } = await setUp("Katherine");
    const get = () => getTask(b, user, task, token.secret);
    await warm(get);
    await adminQuery(a.databaseUrl, `UPDATE personal_access_tokens SET revoked_at = now() WHERE id = '${token.id}'`);
    expect(await refusedAfter(get)).toMatchObject({ status: 401 });

    const other = await setUp("Dorothy");
    const getOther = () => getTask(b, other.user, other.task, other.token.secret);
    await warm(getOther);
    await adminQuery(a.databaseUrl, `DELETE FROM "user" WHERE id = '${other.user.id}'`);
    expect(await refusedAfter(getOther)).toMatchObject({ status: 401 });
  });

  it("an instance that lost its LISTEN connection forgets its cache, and refuses a token revoked meanwhile", async () => {
    const { user, token, task } = await setUp("Mary");
    const get = () => getTask(b, user, task, token.secret);
    await warm(get);
    // Both instances' listeners go; the revocation's notification reaches neither.
    await adminQuery(
      serverUrl() ?? "",
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
       WHERE datname = '${a.databaseName}' AND application_name = 'taskapp-listener'`,
    );
    await adminQuery(a.databaseUrl, `UPDATE personal_access_tokens SET revoked_at = now() WHERE id = '${token.id}'`);
    expect(await refusedAfter(get)).toMatchObject({ status: 401 });
  });
});

describe("An instance that hears no notifications (they go to another database, as with PGlite: none)", () => {
  let deaf: RunningServer;

  beforeAll(async () => {
    deaf = await startServer({ env: { ...ENV, CHANGES_LISTEN_URL: serverUrl() ?? "" }, instanceOf: a });
  }, 60_000);

  afterAll(() => deaf?.stop());

  it("looks the token up on every request, so a revocation is seen by the very next one", async () => {
    const { user, token, task } = await setUp("Hedy");
    for (let i = 0; i < 5; i++) expect((await getTask(deaf, user, task, token.secret)).status).toBe(200);
    await adminQuery(a.databaseUrl, `UPDATE personal_access_tokens SET revoked_at = now() WHERE id = '${token.id}'`);
    expect((await getTask(deaf, user, task, token.secret)).status).toBe(401);
  });
});
