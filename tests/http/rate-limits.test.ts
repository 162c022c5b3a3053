import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, signUpOver, startServer, tokenOver } from "../support/server.ts";
import type { TestUser } from "../support/users.ts";

// Two real production servers (scripts/start.ts) on one PostgreSQL database, as two Vercel instances would be:
// every limit must be counted across both. Windows are an hour long, so a test never straddles one by chance.

const API_LIMIT = 20;
const PASSWORD = "correct horse battery staple";

type Pair = [RunningServer, RunningServer];

const MINUTE = 60_000;

/**
 * The auth limits count in fixed one-minute windows (aligned to the clock, on servers and here alike): a test that
 * needs `ms` of one window waits for the next one when this one ends too soon.
 */
async function withinOneMinuteWindow(ms: number): Promise<void> {
  const intoWindow = Date.now() % MINUTE;
  if (intoWindow + ms > MINUTE - 1_000) await new Promise((resolve) => setTimeout(resolve, MINUTE - intoWindow + 250));
}

async function startPair(env: Record<string, string>): Promise<Pair> {
  const first = await startServer({ env });
  const second = await startServer({ env, instanceOf: first });
  return [first, second];
}

const stopAll = (servers: RunningServer[]) => Promise.all(servers.map((server) => server.stop()));

function signIn(server: RunningServer, email: string, password: string, headers: Record<string, string> = {}) {
  return fetch(`${server.url}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: server.publicUrl, ...headers },
    body: JSON.stringify({ email, password }),
  });
}

function signUp(server: RunningServer, headers: Record<string, string> = {}) {
  return fetch(`${server.url}/api/auth/sign-up/email`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: server.publicUrl, ...headers },
    body: JSON.stringify({ name: "Sign-up", email: `limit-${randomUUID()}@example.test`, password: PASSWORD }),
  });
}

/** Asserts a 429 with the error body, `Retry-After` and the three `RateLimit-*` headers; returns Retry-After. */
async function expectRateLimited(response: Response): Promise<number> {
  expect(response.status).toBe(429);
  const body = (await response.json()) as { error: string; detail: string };
  expect(body.error).toBe("rate_limited");
  expect(body.detail.length).toBeGreaterThan(0);
  expect(response.headers.get("x-request-id")).toBeTruthy();
  const retryAfter = Number(response.headers.get("retry-after"));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(response.headers.get("ratelimit-remaining")).toBe("0");
  expect(Number(response.headers.get("ratelimit-limit"))).toBeGreaterThan(0);
  expect(Number(response.headers.get("ratelimit-reset"))).toBe(retryAfter);
  return retryAfter;
}

describe("Two instances facing clients directly (the client address is the socket's)", () => {
  let servers: Pair;
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    servers = await startPair({ API_RATE_LIMIT: `${API_LIMIT}/1h` });
    alice = await signUpOver(servers[0], "Alice");
    bob = await signUpOver(servers[1], "Bob");
  }, 120_000);

  afterAll(() => stopAll(servers));

  it(`counts Alice's task API requests across both instances: ${API_LIMIT} answered, then 429 on either`, async () => {
    const responses: Response[] = [];
    for (let i = 0; i < API_LIMIT + 6; i++) {
      const server = servers[i % 2] as RunningServer;
      responses.push(
        await fetch(`${server.url}/api/${alice.id}/tasks`, { headers: { Authorization: `Bearer ${alice.token}` } }),
      );
    }
    const allowed = responses.slice(0, API_LIMIT);
    expect(allowed.map((response) => response.status)).toEqual(allowed.map(() => 200));
    // Successful answers carry the budget left, counted down across both instances.
    expect(allowed.map((response) => Number(response.headers.get("ratelimit-remaining")))).toEqual(
      allowed.map((_, i) => API_LIMIT - 1 - i),
    );
    for (const response of allowed) expect(response.headers.get("ratelimit-limit")).toBe(String(API_LIMIT));
    for (const response of responses.slice(API_LIMIT)) await expectRateLimited(response);
  });

  it("Bob's budget is his own: Alice's spent budget does not touch him", async () => {
    const response = await fetch(`${servers[0].url}/api/${bob.id}/tasks`, {
      headers: { Authorization: `Bearer ${bob.token}` },
    });
    expect(response.status).toBe(200);
    expect(Number(response.headers.get("ratelimit-remaining"))).toBeGreaterThan(API_LIMIT - 5);
  });

  it("a forged X-Forwarded-For does not buy new sign-ups: ten per address per hour, whatever the header says", async () => {
    // Two sign-ups were spent in beforeAll (Alice and Bob, same address).
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const server = servers[i % 2] as RunningServer;
      statuses.push((await signUp(server, { "X-Forwarded-For": `10.0.${i}.1` })).status);
    }
    expect(statuses.slice(0, 8)).toEqual(Array(8).fill(200));
    expect(statuses.slice(8)).toEqual([429, 429]);
    await expectRateLimited(await signUp(servers[0], { "X-Forwarded-For": "192.0.2.99" }));
  });

  it("a forged X-Forwarded-For does not buy new sign-in attempts: 20 per address per minute", async () => {
    await withinOneMinuteWindow(10_000);
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) {
      const server = servers[i % 2] as RunningServer;
      const response = await signIn(server, `nobody-${i}@example.test`, "wrong password", {
        "X-Forwarded-For": `172.16.${i}.1`,
      });
      statuses.push(response.status);
      if (response.status === 429) await expectRateLimited(response);
    }
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(401));
    expect(statuses.slice(20)).toEqual([429, 429]);
  });
});

describe("A batch against the API limit, on two instances", () => {
  let servers: Pair;
  let carol: TestUser;

  beforeAll(async () => {
    servers = await startPair({ API_RATE_LIMIT: `${API_LIMIT}/1h` });
    carol = await signUpOver(servers[0], "Carol");
  }, 120_000);

  afterAll(() => stopAll(servers));

  const batch = (server: RunningServer, count: number, prefix: string) =>
    fetch(`${server.url}/api/${carol.id}/tasks/batch`, {
      method: "POST",
      headers: { Authorization: `Bearer ${carol.token}`, "Content-Type": "application/json" },
      body: JSON.stringify({
        operations: Array.from({ length: count }, (_, index) => ({
          op: "create",
          body: { title: `${prefix}${index}` },
        })),
      }),
    });

  it(`counts a batch as its operations; one the budget cannot cover is a 429 and none of it runs`, async () => {
    const first = await batch(servers[0], 15, "first ");
    expect(first.status).toBe(200);
    expect(first.headers.get("ratelimit-remaining")).toBe(String(API_LIMIT - 15));
    // 16 spent with the request itself: its 9 further operations cannot fit in the 4 left, which it says.
    for (const refused of [await batch(servers[1], 10, "second "), await batch(servers[0], API_LIMIT + 1, "third ")]) {
      expect(refused.status).toBe(429);
      expect(((await refused.json()) as { error: string }).error).toBe("rate_limited");
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(Number(refused.headers.get("ratelimit-remaining"))).toBeLessThan(10);
    }
    // Single operations on either instance until the budget is spent: never more than the limit in all.
    const singles: number[] = [];
    for (let i = 0; i < 10; i++) singles.push((await batch(servers[i % 2] as RunningServer, 1, "single ")).status);
    expect(singles.slice(-2)).toEqual([429, 429]);
    const client = new pg.Client({ connectionString: servers[0].databaseUrl });
    await client.connect();
    const { rows } = await client.query<{ title: string }>("SELECT title FROM tasks WHERE user_id = $1", [carol.id]);
    await client.end();
    const titles = rows.map((row) => row.title);
    expect(titles.filter((title) => title.startsWith("first "))).toHaveLength(15);
    expect(titles.filter((title) => !title.startsWith("first ") && !title.startsWith("single "))).toEqual([]);
    expect(titles.length).toBeLessThanOrEqual(API_LIMIT);
  });
});

describe("Two instances behind one proxy (CLIENT_ADDRESS_SOURCE=x-forwarded-for:1)", () => {
  let servers: Pair;
  /** What the proxy appends: the address it saw. Anything before it is the client's own claim. */
  const via = (address: string, claimed = "") => ({ "X-Forwarded-For": claimed ? `${claimed}, ${address}` : address });

  beforeAll(async () => {
    servers = await startPair({ CLIENT_ADDRESS_SOURCE: "x-forwarded-for:1" });
  }, 120_000);

  afterAll(() => stopAll(servers));

  it("30 wrong passwords for one account from 30 addresses back off per account, and the right one waits too", async () => {
    const alice = await signUpOver(servers[0], "Alice");
    await withinOneMinuteWindow(15_000);
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      const server = servers[i % 2] as RunningServer;
      statuses.push((await signIn(server, alice.email, "wrong password", via(`198.51.100.${i + 1}`))).status);
    }
    // Five free failures, then each attempt must wait twice as long as the last: most of the 30 are refused.
    expect(statuses.slice(0, 5)).toEqual(Array(5).fill(401));
    expect(statuses[5]).toBe(429);
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(10);
    expect(statuses.every((status) => status === 401 || status === 429)).toBe(true);

    const tooSoon = await signIn(servers[1], alice.email, alice.password, via("203.0.113.200"));
    const retryAfter = await expectRateLimited(tooSoon);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    // Another account is not held back by Alice's.
    const bob = await signUpOver(servers[1], "Bob");
    expect((await signIn(servers[0], bob.email, bob.password, via("198.51.100.1"))).status).toBe(200);
  });

  it("after the back-off, the right password signs in, and a success clears the failures", async () => {
    const carol = await signUpOver(servers[0], "Carol");
    await withinOneMinuteWindow(15_000);
    for (let i = 0; i < 5; i++) {
      expect(
        (await signIn(servers[i % 2] as RunningServer, carol.email, "wrong", via(`198.18.0.${i + 1}`))).status,
      ).toBe(401);
    }
    const retryAfter = await expectRateLimited(
      await signIn(servers[0], carol.email, carol.password, via("198.18.1.1")),
    );
    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000 + 200));
    expect((await signIn(servers[1], carol.email, carol.password, via("198.18.1.2"))).status).toBe(200);
    // Cleared: failures are free again (four more stay within the account's ten attempts a minute).
    for (let i = 0; i < 4; i++) {
      expect((await signIn(servers[0], carol.email, "wrong", via(`198.18.2.${i + 1}`))).status).toBe(401);
    }
  });

  it("a sign-in sent as an HTML form backs off like one sent as JSON: a form is no way around it", async () => {
    const frank = await signUpOver(servers[0], "Frank");
    await withinOneMinuteWindow(10_000);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const response = await fetch(`${(servers[i % 2] as RunningServer).url}/api/auth/sign-in/email`, {
        method: "POST",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          Origin: servers[0].publicUrl,
          ...via(`198.19.0.${i + 1}`),
        },
        body: new URLSearchParams({ email: frank.email, password: "wrong password" }).toString(),
      });
      statuses.push(response.status);
    }
    expect(statuses.slice(0, 5)).toEqual(Array(5).fill(401));
    expect(statuses.slice(5)).toEqual([429, 429]);
  });

  it("the address is the one the proxy appended: a client's own X-Forwarded-For entries are ignored", async () => {
    await withinOneMinuteWindow(10_000);
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) {
      const response = await signIn(
        servers[i % 2] as RunningServer,
        `x-${i}@example.test`,
        "wrong",
        via("192.0.2.50", `10.1.${i}.1`),
      );
      statuses.push(response.status);
    }
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(401));
    expect(statuses[20]).toBe(429);
    // Another client behind the same proxy is not affected.
    expect((await signIn(servers[0], "y@example.test", "wrong", via("192.0.2.51"))).status).toBe(401);
  });

  it("values that are not one address get buckets of their own: they lock out no one else", async () => {
    await withinOneMinuteWindow(10_000);
    for (let i = 0; i < 20; i++)
      await signIn(servers[i % 2] as RunningServer, `z-${i}@example.test`, "wrong", via("not-an-ip"));
    await expectRateLimited(await signIn(servers[0], "z@example.test", "wrong", via("not-an-ip")));
    expect((await signIn(servers[1], "z@example.test", "wrong", { "X-Forwarded-For": "junk" })).status).toBe(401);
    expect((await signIn(servers[0], "z@example.test", "wrong", via("192.0.2.77"))).status).toBe(401);
  });

  it("token minting is limited per account across both instances (60 a minute), whatever the address", async () => {
    await withinOneMinuteWindow(10_000);
    const dave = await signUpOver(servers[0], "Dave");
    const statuses: number[] = [];
    for (let i = 0; i < 62; i++) {
      const server = servers[i % 2] as RunningServer;
      const response = await fetch(`${server.url}/api/auth/token`, {
        headers: { Cookie: dave.cookie, ...via(`100.64.${i}.1`) },
      });
      statuses.push(response.status);
      if (response.status === 429) await expectRateLimited(response);
    }
    // signUpOver fetched one token already.
    expect(statuses.slice(0, 59)).toEqual(Array(59).fill(200));
    expect(statuses.slice(59)).toEqual([429, 429, 429]);
  });
});

describe.skipIf(!process.env.TEST_REDIS_URL)("Two instances with the limits in Redis (RATE_LIMIT_STORE=redis)", () => {
  let servers: Pair;

  beforeAll(async () => {
    servers = await startPair({
      RATE_LIMIT_STORE: "redis",
      REDIS_URL: process.env.TEST_REDIS_URL ?? "",
      API_RATE_LIMIT: `${API_LIMIT}/1h`,
    });
  }, 120_000);

  afterAll(() => stopAll(servers));

  it(`counts a user's requests across both instances: ${API_LIMIT} answered, then 429`, async () => {
    const erin = await signUpOver(servers[0], "Erin");
    const token = await tokenOver(servers[1], erin.cookie);
    const statuses: number[] = [];
    for (let i = 0; i < API_LIMIT + 4; i++) {
      const server = servers[i % 2] as RunningServer;
      statuses.push(
        (await fetch(`${server.url}/api/${erin.id}/tasks`, { headers: { Authorization: `Bearer ${token}` } })).status,
      );
    }
    expect(statuses).toEqual([...Array(API_LIMIT).fill(200), 429, 429, 429, 429]);
  });
});
