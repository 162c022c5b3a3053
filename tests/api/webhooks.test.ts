import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { checkUrlShape, refusedAddress, resolveChecked } from "@/lib/webhooks/address";
import { assertDeliverableUrl } from "@/lib/webhooks/repository";
import { WEBHOOKS_PER_USER_MAX, type WebhookJson, type WebhookSecretJson } from "@/lib/webhooks/schema";
import { decryptSecret } from "@/lib/webhooks/secret";
import { call } from "../support/app.ts";
import { expectValidationError } from "../support/requests.ts";
import { expectError, expectJson } from "../support/tasks.ts";
import { signUp, twoUsers } from "../support/users.ts";
import { registerWebhook, webhookPath, webhooksPath } from "../support/webhooks.ts";

// No DNS here: an IP literal of a public address stands for a public host.
const HOOK = "https://93.184.215.14/hooks";

describe("a user registers webhook endpoints", () => {
  it("creates one (201, its secret shown once), lists, reads, changes and deletes it", async () => {
    const alice = await signUp("Alice");
    const created = await registerWebhook(alice, {
      url: HOOK,
      events: ["task.upserted", "task.deleted"],
      description: "Home Assistant",
    });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(created).toMatchObject({
      url: HOOK,
      events: ["task.upserted", "task.deleted"],
      description: "Home Assistant",
      enabled: true,
      disabled_reason: null,
    });
    // Stored encrypted, for this endpoint only: the row's value opens with its own id, not another's.
    const stored = await db().webhookEndpoint.findUniqueOrThrow({ where: { id: created.id } });
    expect(stored.secret).not.toContain(created.secret.slice(6));
    expect(decryptSecret(stored.secret, created.id)).toBe(created.secret);
    expect(() => decryptSecret(stored.secret, crypto.randomUUID())).toThrow();

    const listed = await expectJson<WebhookJson[]>(await call("GET", webhooksPath(alice), { token: alice.token }), 200);
    const { secret: _shownOnce, ...withoutSecret } = created;
    expect(listed).toEqual([withoutSecret]);
    const read = await expectJson<WebhookJson>(
      await call("GET", webhookPath(alice, created.id), { token: alice.token }),
      200,
    );
    expect(read).toEqual(withoutSecret);
    expect(Object.keys(read)).not.toContain("secret");

    const patched = await expectJson<WebhookJson>(
      await call("PATCH", webhookPath(alice, created.id), {
        token: alice.token,
        json: { events: ["*"], enabled: false },
      }),
      200,
    );
    expect(patched).toMatchObject({ events: ["*"], enabled: false, description: "Home Assistant" });

    const rolled = await expectJson<WebhookSecretJson>(
      await call("POST", `${webhookPath(alice, created.id)}/secret`, { token: alice.token }),
      200,
    );
    expect(rolled.secret).toMatch(/^whsec_/);
    expect(rolled.secret).not.toBe(created.secret);

    expect((await call("DELETE", webhookPath(alice, created.id), { token: alice.token })).status).toBe(204);
    await expectError(await call("GET", webhookPath(alice, created.id), { token: alice.token }), 404, "not_found");
    expect(await expectJson(await call("GET", webhooksPath(alice), { token: alice.token }), 200)).toEqual([]);
  });

  it(`refuses an 11th endpoint (409), bad bodies (422) and another user's endpoints (404)`, async () => {
    const [alice, bob] = await twoUsers();
    const hooks = [];
    for (let n = 0; n < WEBHOOKS_PER_USER_MAX; n++) hooks.push(await registerWebhook(alice, { url: `${HOOK}/${n}` }));
    await expectError(
      await call("POST", webhooksPath(alice), { token: alice.token, json: { url: HOOK } }),
      409,
      "conflict",
    );
    const bad: [Record<string, unknown>, string][] = [
      [{ url: "ftp://example.com/x" }, "url"],
      [{ url: "https://user:pw@example.com/x" }, "url"],
      [{ url: "not a url" }, "url"],
      [{ url: HOOK, events: [] }, "events"],
      [{ url: HOOK, events: ["task.renamed"] }, "events.0"],
      [{ url: HOOK, events: ["*", "task.deleted"] }, "events"],
      [{ url: HOOK, secret: "mine" }, "secret"],
    ];
    for (const [json, field] of bad) {
      await expectValidationError(await call("POST", webhooksPath(bob), { token: bob.token, json }), field);
    }
    const alices = hooks[0]?.id ?? "";
    for (const [method, suffix, json] of [
      ["GET", "", undefined],
      ["PATCH", "", { enabled: false }],
      ["DELETE", "", undefined],
      ["POST", "/secret", undefined],
      ["GET", "/deliveries", undefined],
      ["POST", `/deliveries/${crypto.randomUUID()}/redeliver`, undefined],
    ] as const) {
      const response = await call(method, `${webhookPath(bob, alices)}${suffix}`, { token: bob.token, json });
      await expectError(response, 404, "not_found");
    }
    await expectError(await call("GET", webhooksPath(alice), { token: bob.token }), 403, "forbidden");
    expect(await expectJson(await call("GET", webhooksPath(bob), { token: bob.token }), 200)).toEqual([]);
    const untouched = await expectJson<WebhookJson>(
      await call("GET", webhookPath(alice, alices), { token: alice.token }),
      200,
    );
    expect(untouched.enabled).toBe(true);
  });
});

describe("endpoints that would reach private addresses are refused (SSRF)", () => {
  it("at registration and on a change of url: private, link-local, metadata, unique-local, mapped addresses", async () => {
    const alice = await signUp("Alice");
    const refused = [
      "https://10.0.0.5/hook",
      "https://192.168.1.20/hook",
      "https://172.16.0.1/hook",
      "https://100.64.0.1/hook",
      "https://169.254.169.254/latest/meta-data",
      "https://0.0.0.0/hook",
      "https://224.0.0.1/hook",
      "https://[fd00::1]/hook",
      "https://[fe80::1]/hook",
      "https://[::ffff:10.0.0.5]/hook",
      "https://[::ffff:169.254.169.254]/hook",
      "https://[64:ff9b::a00:5]/hook",
      "http://93.184.215.14/hook",
    ];
    for (const url of refused) {
      const body = await expectValidationError(
        await call("POST", webhooksPath(alice), { token: alice.token, json: { url } }),
        "url",
      );
      expect(body.detail, url).toMatch(/url/);
    }
    const hook = await registerWebhook(alice, { url: HOOK });
    await expectValidationError(
      await call("PATCH", webhookPath(alice, hook.id), { token: alice.token, json: { url: "https://10.1.2.3/" } }),
      "url",
    );
    expect(await db().webhookEndpoint.count({ where: { userId: alice.id } })).toBe(1);
  });

  it("loopback ([::1], 127.0.0.1, a hostname resolving to 127.0.0.1) unless loopback is allowed (tests only)", async () => {
    for (const url of ["https://[::1]/hook", "https://127.0.0.1:8443/hook", "https://localhost/hook"]) {
      await expect(assertDeliverableUrl(url, false), url).rejects.toMatchObject({ code: "validation_error" });
      await expect(assertDeliverableUrl(url, true), url).resolves.toBeUndefined();
    }
    await expect(resolveChecked("localhost", false)).rejects.toThrow(/localhost resolves to .*127\.0\.0\.1|::1/);
    expect(() => checkUrlShape(new URL("http://localhost:3000/"), false)).toThrow(/https/);
    expect(checkUrlShape(new URL("http://localhost:3000/"), true)).toBe("localhost");
  });

  it("judges each address: public unicast passes; private, special and embedded private ones do not", () => {
    for (const address of ["93.184.215.14", "8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808"]) {
      expect(refusedAddress(address, false), address).toBeUndefined();
    }
    for (const address of [
      "10.1.2.3",
      "127.0.0.1",
      "169.254.169.254",
      "100.100.100.100",
      "192.168.0.1",
      "255.255.255.255",
      "::",
      "::1",
      "fc00::1",
      "fe80::abcd",
      "ff02::1",
      "::ffff:127.0.0.1",
      "::ffff:7f00:1",
      "::ffff:192.168.1.1",
      "2002:c0a8:0101::1",
    ]) {
      expect(refusedAddress(address, false), address).toBeDefined();
    }
    expect(refusedAddress("127.0.0.1", true)).toBeUndefined();
    expect(refusedAddress("::ffff:127.0.0.1", true)).toBeUndefined();
    expect(refusedAddress("10.0.0.1", true)).toBeDefined();
  });
});
