import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChangesPage } from "@/lib/changes/schema";
import type { DeliveryJson, WebhookCreatedJson, WebhookPayload } from "@/lib/webhooks/schema";
import { adminQuery } from "../support/postgres.ts";
import { apiOver, type RunningServer, signUpOver, startServer } from "../support/server.ts";
import { readmeVerifier, startReceiver } from "../support/webhooks.ts";

/**
 * Webhooks across real instances: two `next start` processes on one PostgreSQL database, writes through both, each
 * sending after its responses and sweeping for retries every 100 ms, so they race for the same deliveries all along.
 * Every delivery must go out once (and once more per failed attempt), never twice at once. In-process rules:
 * tests/api/webhook-delivery.test.ts.
 */

const CRON_SECRET = "cron-secret-for-the-http-tests-0123456789";
const ENV = {
  API_RATE_LIMIT: "off",
  AUTH_RATE_LIMIT: "off",
  REQUEST_LOG: "off",
  WEBHOOK_ALLOW_LOOPBACK: "true",
  WEBHOOK_RETRY_BASE_MS: "50",
  WEBHOOK_RETRY_MAX_MS: "200",
  WEBHOOK_SWEEP_MS: "100",
  CRON_SECRET,
};

let a: RunningServer;
let b: RunningServer;
let restarted: RunningServer | undefined;

beforeAll(async () => {
  a = await startServer({ env: ENV });
  b = await startServer({ env: ENV, instanceOf: a });
}, 120_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop(), restarted?.stop()]);
});

describe("Webhooks across two instances", () => {
  it("every event of writes through both instances is delivered exactly once, its 5 failed attempts retried", async () => {
    const receiver = await startReceiver((n) => (n < 5 ? 500 : 200));
    try {
      const alice = await signUpOver(a, "Alice");
      const hook = await apiOver<WebhookCreatedJson>(a, alice, "POST", "/webhooks", { url: receiver.url });
      const { next: since } = await apiOver<ChangesPage>(a, alice, "GET", "/changes");
      const writes = Array.from({ length: 100 }, (_, n) => n);
      for (let start = 0; start < writes.length; start += 5) {
        await Promise.all(
          writes
            .slice(start, start + 5)
            .map((n) => apiOver(n % 2 === 0 ? a : b, alice, "POST", "/tasks", { title: `Task ${n}` })),
        );
      }
      const { events } = await apiOver<ChangesPage>(b, alice, "GET", `/changes?since=${since}&limit=100`);
      expect(events).toHaveLength(100);
      const succeeded = () => receiver.received.filter((request) => request.status === 200);
      await receiver.until(() => succeeded().length >= events.length, 30_000);
      const deliveries = await apiOver<DeliveryJson[]>(a, alice, "GET", `/webhooks/${hook.id}/deliveries?limit=100`);
      expect(deliveries.every((delivery) => delivery.state === "succeeded")).toBe(true);

      const ids = receiver.received.map((request) => String(request.headers["webhook-id"]));
      expect(receiver.received).toHaveLength(105);
      expect(new Set(ids).size).toBe(100);
      const delivered = succeeded().map((request) => (JSON.parse(request.body) as WebhookPayload).event_id);
      expect(delivered.sort()).toEqual(events.map((event) => event.event_id).sort());
      const verify = await readmeVerifier();
      for (const request of receiver.received) {
        expect(verify(hook.secret, String(request.headers["tasks-signature"]), request.body)).toBe(true);
      }
    } finally {
      await receiver.close();
    }
  }, 90_000);

  it("the cron route sends what is due with CRON_SECRET as its Bearer token, and refuses anything else", async () => {
    const cron = (authorization?: string) =>
      fetch(`${b.url}/api/cron/webhooks`, { headers: authorization ? { Authorization: authorization } : {} });
    const ok = await cron(`Bearer ${CRON_SECRET}`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ sent: expect.any(Number), failed: expect.any(Number) });
    for (const refused of [undefined, "Bearer wrong", `Bearer ${CRON_SECRET}x`]) {
      const response = await cron(refused);
      expect(response.status, refused).toBe(401);
      expect((await response.json()).error).toBe("invalid_token");
    }
  });

  it("a server started after a crash sends what was left due, without waiting for a write", async () => {
    const receiver = await startReceiver();
    try {
      const bob = await signUpOver(a, "Bob");
      const hook = await apiOver<WebhookCreatedJson>(a, bob, "POST", "/webhooks", { url: receiver.url });
      await apiOver(b, bob, "POST", "/tasks", { title: "Sent twice" });
      await receiver.until(() => receiver.received.length >= 1);
      await Promise.all([a.stop(), b.stop()]);
      // As a crash between the send and its recording leaves it: pending, its lease run out.
      await adminQuery(
        a.databaseUrl,
        `UPDATE webhook_deliveries SET state = 'pending', finished_at = NULL, next_attempt_at = now()
         WHERE endpoint_id = '${hook.id}'`,
      );
      restarted = await startServer({ env: ENV, instanceOf: a });
      await receiver.until(() => receiver.received.length >= 2);
      const [first, again] = receiver.received;
      expect(again?.headers["webhook-id"]).toBe(first?.headers["webhook-id"]);
      expect(again?.body).toBe(first?.body);
    } finally {
      await receiver.close();
    }
  });
});
