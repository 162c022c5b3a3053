import { afterEach, describe, expect, it } from "vitest";
import type { ChangeEvent } from "@/lib/changes/schema";
import { db } from "@/lib/db";
import { kickWebhooks, retryDelayMs } from "@/lib/webhooks/dispatcher";
import type { DeliveryJson, WebhookJson, WebhookPayload } from "@/lib/webhooks/schema";
import { call } from "../support/app.ts";
import { drain, feedNow } from "../support/changes.ts";
import { createTask, expectJson, taskPath } from "../support/tasks.ts";
import { signUp, type TestUser, twoUsers } from "../support/users.ts";
import { readmeVerifier, registerWebhook, startReceiver, webhookPath } from "../support/webhooks.ts";

const receivers: Awaited<ReturnType<typeof startReceiver>>[] = [];
async function receiver(answer?: (n: number) => number | Promise<number>) {
  const started = await startReceiver(answer);
  receivers.push(started);
  return started;
}

afterEach(async () => {
  for (const started of receivers.splice(0)) await started.close();
});

const payloads = (received: { body: string; status: number }[]) =>
  received.filter((request) => request.status === 200).map((request) => JSON.parse(request.body) as WebhookPayload);

/** The feed's events as a delivery carries them: the same JSON, without `occurred_at`. */
const asEvent = ({ occurred_at: _at, ...event }: WebhookPayload) => event as ChangeEvent;

async function deliveriesOf(user: TestUser, webhookId: string): Promise<DeliveryJson[]> {
  return expectJson(
    await call("GET", `${webhookPath(user, webhookId)}/deliveries?limit=100`, { token: user.token }),
    200,
  );
}

/** No delivery of the user is pending: each has succeeded or failed. */
async function settled(userId: string) {
  return (await db().webhookDelivery.count({ where: { userId, state: "pending" } })) === 0;
}

async function untilSettled(userId: string) {
  const deadline = Date.now() + 30_000;
  while (!(await settled(userId)) && Date.now() < deadline) {
    await kickWebhooks();
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe("webhook deliveries", () => {
  it("a receiver on loopback gets every event of a 200-write run exactly once after its first 3 attempts fail, with valid signatures", async () => {
    const alice = await signUp("Alice");
    const hook = await receiver((n) => (n < 3 ? 500 : 200));
    const endpoint = await registerWebhook(alice, { url: hook.url, events: ["*"] });
    const since = await feedNow(alice);
    const tasks = [];
    for (let n = 0; n < 100; n++) tasks.push(await createTask(alice, { title: `Task ${n}` }));
    for (const [n, task] of tasks.entries()) {
      const write =
        n % 2 === 0
          ? call("PATCH", taskPath(alice, task.id), { token: alice.token, json: { completed: true } })
          : call("DELETE", taskPath(alice, task.id), { token: alice.token });
      expect((await write).ok).toBe(true);
    }
    const { events } = await drain(alice, since);
    expect(events).toHaveLength(200);
    await hook.until(() => payloads(hook.received).length >= events.length);
    await untilSettled(alice.id);

    expect(hook.received.slice(0, 3).map((request) => request.status)).toEqual([500, 500, 500]);
    const delivered = payloads(hook.received);
    expect(delivered.map((payload) => payload.event_id).sort()).toEqual(events.map((event) => event.event_id).sort());
    expect(new Map(delivered.map((payload) => [payload.event_id, asEvent(payload)]))).toEqual(
      new Map(events.map((event) => [event.event_id, event])),
    );
    // Every request, failed ones included, is signed with the endpoint's secret over its timestamp and body.
    const verify = await readmeVerifier();
    for (const request of hook.received) {
      const signature = String(request.headers["tasks-signature"]);
      expect(verify(endpoint.secret, signature, request.body), signature).toBe(true);
      expect(request.headers["webhook-timestamp"]).toBe(signature.match(/^t=(\d+),/)?.[1]);
      expect(request.headers["webhook-event"]).toBe(JSON.parse(request.body).type);
      expect(request.headers["content-type"]).toBe("application/json");
    }
    // The 3 failed requests were retried with the same delivery id (a retry may fail again, as the third request):
    // 203 requests, 200 ids, each answered 200 exactly once.
    expect(hook.received).toHaveLength(203);
    const idOf = (request: { headers: Record<string, unknown> }) => String(request.headers["webhook-id"]);
    expect(new Set(hook.received.map(idOf)).size).toBe(200);
    const okIds = hook.received.filter((request) => request.status === 200).map(idOf);
    expect(new Set(okIds).size).toBe(okIds.length);
    const retried = [...new Set(hook.received.slice(0, 3).map(idOf))];

    const listed = await deliveriesOf(alice, endpoint.id);
    expect(listed).toHaveLength(100);
    expect(listed.every((delivery) => delivery.state === "succeeded" && delivery.last_status === 200)).toBe(true);
    // Each attempt of the retried ones is recorded: its answer and how long it took.
    const attempts = await db().webhookAttempt.findMany({ where: { deliveryId: { in: retried } } });
    const statuses = attempts.map((attempt) => attempt.status);
    expect(statuses.filter((status) => status === 500)).toHaveLength(3);
    expect(statuses.filter((status) => status === 200)).toHaveLength(retried.length);
    expect(attempts.every((attempt) => attempt.durationMs >= 0)).toBe(true);
  }, 60_000);

  it("retries back off exponentially from the base to the cap, each wait jittered down to half of it", () => {
    const ceilings = [1, 2, 3, 4, 5, 6, 7, 30].map((attempt) => retryDelayMs(attempt, 10_000, 3_600_000, 1 - 1e-12));
    expect(ceilings).toEqual([10_000, 20_000, 40_000, 80_000, 160_000, 320_000, 640_000, 3_600_000]);
    expect(retryDelayMs(3, 10_000, 3_600_000, 0)).toBe(20_000);
    expect(retryDelayMs(1000, 10_000, 3_600_000, 0.5)).toBe(2_700_000);
  });

  it("a signature made with another secret, another body or an old timestamp does not verify", async () => {
    const verify = await readmeVerifier();
    const { signatureHeader } = await import("@/lib/webhooks/signature");
    const now = Math.floor(Date.now() / 1000);
    const body = '{"event_id":"1"}';
    expect(verify("whsec_a", signatureHeader("whsec_a", now, body), body)).toBe(true);
    expect(verify("whsec_b", signatureHeader("whsec_a", now, body), body)).toBe(false);
    expect(verify("whsec_a", signatureHeader("whsec_a", now, body), `${body} `)).toBe(false);
    expect(verify("whsec_a", signatureHeader("whsec_a", now - 3600, body), body)).toBe(false);
    expect(verify("whsec_a", "t=1,v1=zz", body)).toBe(false);
  });

  it("a subscription to task.deleted gets only deletions; a rolled-back write delivers nothing", async () => {
    const alice = await signUp("Alice");
    const hook = await receiver();
    const endpoint = await registerWebhook(alice, { url: hook.url, events: ["task.deleted"] });
    const kept = await createTask(alice, { title: "Kept", tags: ["home"] });
    const gone = await createTask(alice, { title: "Gone" });
    await expect(
      db().$transaction(async (tx) => {
        await tx.task.delete({ where: { id: kept.id } });
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    await call("PATCH", taskPath(alice, kept.id), { token: alice.token, json: { title: "Still here" } });
    expect((await call("DELETE", taskPath(alice, gone.id), { token: alice.token })).status).toBe(204);
    await untilSettled(alice.id);

    expect(payloads(hook.received).map((payload) => [payload.type, payload.id])).toEqual([["task.deleted", gone.id]]);
    const listed = await deliveriesOf(alice, endpoint.id);
    expect(listed.map((delivery) => delivery.type)).toEqual(["task.deleted"]);
  });

  it("deliveries are per user: Bob's endpoint never gets Alice's events", async () => {
    const [alice, bob] = await twoUsers();
    const [alicesHook, bobsHook] = [await receiver(), await receiver()];
    await registerWebhook(alice, { url: alicesHook.url });
    await registerWebhook(bob, { url: bobsHook.url });
    const alices = await createTask(alice, { title: "Alice's" });
    const bobs = await createTask(bob, { title: "Bob's" });
    await untilSettled(alice.id);
    await untilSettled(bob.id);
    expect(payloads(alicesHook.received).map((payload) => payload.id)).toEqual([alices.id]);
    expect(payloads(bobsHook.received).map((payload) => payload.id)).toEqual([bobs.id]);
  });

  it("a receiver that does not answer holds up only its own deliveries, and gets at most 5 at once", async () => {
    const [alice, bob] = await twoUsers();
    let release = () => {};
    const held = new Promise<number>((resolve) => {
      release = () => resolve(200);
    });
    const stuck = await receiver(() => held);
    const quick = await receiver();
    await registerWebhook(alice, { url: stuck.url });
    await registerWebhook(bob, { url: quick.url });
    for (let n = 0; n < 12; n++) await createTask(alice, { title: `Held ${n}` });
    await stuck.until(() => stuck.arrived() >= 5);

    const bobs = await createTask(bob, { title: "Not held up" });
    await quick.until(() => quick.received.length >= 1);
    expect(payloads(quick.received).map((payload) => payload.id)).toEqual([bobs.id]);
    expect(stuck.arrived()).toBe(5);
    expect(stuck.received).toEqual([]);

    release();
    await untilSettled(alice.id);
    expect(payloads(stuck.received)).toHaveLength(12);
  }, 60_000);

  it("after the retry window the delivery fails and the endpoint is disabled, with the reason; re-enabled, it receives again", async () => {
    const alice = await signUp("Alice");
    let failing = true;
    const hook = await receiver(() => (failing ? 503 : 200));
    const endpoint = await registerWebhook(alice, { url: hook.url });
    await createTask(alice, { title: "Never acknowledged" });
    await hook.until(() => hook.received.length >= 2);
    // A day passes: the delivery's window (WEBHOOK_RETRY_WINDOW_MS, 24 h) is over at its next attempt.
    await db().webhookDelivery.updateMany({
      where: { userId: alice.id },
      data: { createdAt: new Date(Date.now() - 25 * 3_600_000), nextAttemptAt: new Date() },
    });
    await untilSettled(alice.id);

    const disabled = await expectJson<WebhookJson>(
      await call("GET", webhookPath(alice, endpoint.id), { token: alice.token }),
      200,
    );
    expect(disabled.enabled).toBe(false);
    expect(disabled.disabled_reason).toMatch(
      /^Deliveries failed for 24 h; the last attempt: the endpoint answered 503/,
    );
    expect(disabled.disabled_at).not.toBeNull();
    const [failed] = await deliveriesOf(alice, endpoint.id);
    expect(failed).toMatchObject({ state: "failed", last_status: 503, next_attempt_at: null });
    expect(failed?.attempts).toBeGreaterThanOrEqual(2);

    // Disabled: a write records no delivery for it.
    const requestsBefore = hook.received.length;
    await createTask(alice, { title: "While disabled" });
    expect(await deliveriesOf(alice, endpoint.id)).toHaveLength(1);

    failing = false;
    const enabled = await expectJson<WebhookJson>(
      await call("PATCH", webhookPath(alice, endpoint.id), { token: alice.token, json: { enabled: true } }),
      200,
    );
    expect(enabled).toMatchObject({ enabled: true, disabled_reason: null, disabled_at: null });
    const again = await createTask(alice, { title: "After re-enabling" });
    await untilSettled(alice.id);
    expect(payloads(hook.received.slice(requestsBefore)).map((payload) => payload.id)).toEqual([again.id]);

    // A failed delivery can be sent again by hand, with its id.
    const redelivered = await expectJson<DeliveryJson>(
      await call("POST", `${webhookPath(alice, endpoint.id)}/deliveries/${failed?.id}/redeliver`, {
        token: alice.token,
      }),
      202,
    );
    expect(redelivered).toMatchObject({ id: failed?.id, state: "pending" });
    await untilSettled(alice.id);
    expect(hook.received.at(-1)?.headers["webhook-id"]).toBe(failed?.id);
    expect((await deliveriesOf(alice, endpoint.id)).find((delivery) => delivery.id === failed?.id)?.state).toBe(
      "succeeded",
    );
  }, 60_000);
});
