import { createServer, type Server, type Socket } from "node:net";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { BASE_URL, call } from "../support/app.ts";
import { createTask, expectError, listTasks, tasksPath } from "../support/tasks.ts";
import { signUp, type TestUser } from "../support/users.ts";

const holder = globalThis as typeof globalThis & { prismaClient?: PrismaClient };

/**
 * Runs `probe` while DATABASE_URL points at `url`: fresh copies of the app modules (vi.resetModules) read the
 * new URL, and the shared Prisma client (globalThis.prismaClient, see lib/db.ts) is one built for that URL.
 * The working client and URL are put back afterwards.
 */
async function withDatabaseAt(url: string, probe: () => Promise<void>): Promise<void> {
  const workingUrl = process.env.DATABASE_URL;
  const workingClient = holder.prismaClient;
  vi.resetModules();
  process.env.DATABASE_URL = url;
  delete holder.prismaClient;
  try {
    // The fresh lib/db builds the broken client from the fresh env and stores it in globalThis for every module.
    const { db } = await import("@/lib/db");
    db();
    await probe();
  } finally {
    // (TypeScript narrows the property to undefined after `delete`, but the probe has set it since.)
    const brokenClient = holder.prismaClient as PrismaClient | undefined;
    holder.prismaClient = workingClient;
    process.env.DATABASE_URL = workingUrl;
    vi.resetModules();
    // Not awaited: against a silent server the pool's pending connect would hold this up until its timeout.
    if (brokenClient && brokenClient !== workingClient) void brokenClient.$disconnect().catch(() => {});
  }
}

/** Fresh copies of the route modules, built on the environment of the moment (call inside withDatabaseAt). */
const freshHealthRoute = () => import("@/app/api/health/route");
const freshTasksRoute = () => import("@/app/api/[userId]/tasks/route");

async function timed<T>(run: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const start = performance.now();
  const result = await run();
  return { result, ms: performance.now() - start };
}

/** Runs `probe` with the URL of a TCP server that accepts connections and never says a word, like a hung database. */
async function withSilentDatabase(probe: (url: string) => Promise<void>): Promise<void> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  try {
    await probe(`postgres://postgres@127.0.0.1:${port}/postgres`);
  } finally {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
}

// Port 1 is privileged and unused: connections are refused at once.
const CLOSED_PORT_URL = "postgres://postgres@127.0.0.1:1/postgres";

describe("A load balancer checks the service's health", () => {
  it("GET /api/health answers 200 {status: ok, database: ok}, never cached", async () => {
    const response = await call("GET", "/api/health");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok", database: "ok" });
    expect(response.headers.get("cache-control")).toBe("no-store");
  });

  it("other methods on /api/health are 405 method_not_allowed with an Allow header", async () => {
    const response = await call("POST", "/api/health", { json: {} });
    await expectError(response, 405, "method_not_allowed");
    expect(response.headers.get("allow")).toContain("GET");
  });
});

describe("When the database cannot be reached", () => {
  let alice: TestUser;

  beforeAll(async () => {
    alice = await signUp("Alice");
    await createTask(alice, { title: "Survive the outage" });
    // A successful call loads the signing keys into lib/auth/bearer.ts's module-level cache.
    expect(await listTasks(alice)).toHaveLength(1);
  });

  it("the health check answers 503 service_unavailable promptly when connections are refused", async () => {
    await withDatabaseAt(CLOSED_PORT_URL, async () => {
      const { GET } = await freshHealthRoute();
      const { result: response, ms } = await timed(() =>
        GET(new Request(`${BASE_URL}/api/health`), { params: Promise.resolve({}) }),
      );
      await expectError(response, 503, "service_unavailable");
      expect(response.headers.get("retry-after")).toBe("5");
      expect(ms).toBeLessThan(3_000);
    });
  });

  it("the health check answers 503 within its 3 s budget when the database accepts connections but never replies", async () => {
    await withSilentDatabase(async (url) => {
      await withDatabaseAt(url, async () => {
        const { GET } = await freshHealthRoute();
        const { result: response, ms } = await timed(() =>
          GET(new Request(`${BASE_URL}/api/health`), { params: Promise.resolve({}) }),
        );
        await expectError(response, 503, "service_unavailable");
        expect(ms).toBeLessThan(4_500);
      });
    });
  });

  it("Alice's task list answers 503 service_unavailable (not 500) while her token still verifies from the cached keys", async () => {
    await withDatabaseAt(CLOSED_PORT_URL, async () => {
      const response = await call("GET", tasksPath(alice), { token: alice.token });
      const body = await expectError(response, 503, "service_unavailable");
      expect(body.detail).not.toContain("127.0.0.1");
      expect(response.headers.get("retry-after")).toBe("5");
    });
  });

  it("creating a task answers 503 service_unavailable, and nothing is stored", async () => {
    await withDatabaseAt(CLOSED_PORT_URL, async () => {
      const response = await call("POST", tasksPath(alice), {
        token: alice.token,
        json: { title: "Lost in the outage" },
      });
      await expectError(response, 503, "service_unavailable");
    });
    expect((await listTasks(alice)).map((task) => task.title)).toEqual(["Survive the outage"]);
  });

  it("a freshly started server (no keys cached yet) answers 503, not 500 or 401, since it cannot read the keys", async () => {
    await withDatabaseAt(CLOSED_PORT_URL, async () => {
      const { GET } = await freshTasksRoute();
      const request = new Request(`${BASE_URL}${tasksPath(alice)}`, {
        headers: { Authorization: `Bearer ${alice.token}` },
      });
      await expectError(
        await GET(request, { params: Promise.resolve({ userId: alice.id }) }),
        503,
        "service_unavailable",
      );
    });
  });

  it("Alice's task list answers 503 within the 5 s connect timeout when the database never replies", async () => {
    await withSilentDatabase(async (url) => {
      await withDatabaseAt(url, async () => {
        const { result: response, ms } = await timed(() => call("GET", tasksPath(alice), { token: alice.token }));
        await expectError(response, 503, "service_unavailable");
        expect(ms).toBeLessThan(6_500);
      });
    });
  });

  it("once the database is back, the health check and Alice's list answer 200 again", async () => {
    await withDatabaseAt(CLOSED_PORT_URL, async () => {
      expect((await call("GET", tasksPath(alice), { token: alice.token })).status).toBe(503);
    });
    expect((await call("GET", "/api/health")).status).toBe(200);
    expect((await listTasks(alice)).map((task) => task.title)).toEqual(["Survive the outage"]);
  });
});
