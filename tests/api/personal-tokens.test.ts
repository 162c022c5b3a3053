import { createHash, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { flushTokenUses } from "@/lib/tokens/last-used";
import { TOKEN_EXPIRY_MAX_DAYS, TOKEN_NAME_MAX_CHARS, TOKENS_PER_USER_MAX, type TokenJson } from "@/lib/tokens/schema";
import { call } from "../support/app.ts";
import {
  createPersonalToken,
  READ,
  READ_WRITE,
  revokePersonalToken,
  tokenPath,
  tokensPath,
} from "../support/personal-tokens.ts";
import { createTask, expectError, expectJson, taskPath, tasksPath } from "../support/tasks.ts";
import { expectInvalidToken } from "../support/tokens.ts";
import { signUp, twoUsers } from "../support/users.ts";

const DAY_MS = 24 * 60 * 60 * 1000;
const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");
const listWith = (user: { id: string }, secret: string) => call("GET", tasksPath(user), { token: secret });

/** The first answer that is not a 200, polling until `ms` have passed (a notification on its way). */
async function refusedWithin(ms: number, send: () => Promise<Response>): Promise<Response> {
  const deadline = Date.now() + ms;
  let response = await send();
  while (response.status === 200 && Date.now() < deadline) response = await send();
  return response;
}

async function tokensOf(user: { id: string; token: string }): Promise<TokenJson[]> {
  return expectJson<TokenJson[]>(await call("GET", tokensPath(user), { token: user.token }), 200);
}

describe("A signed-in user manages personal access tokens", () => {
  it("creates one (201, Location, the secret once), lists it without the secret, reads it, revokes it", async () => {
    const alice = await signUp("Alice");
    const expiresAt = new Date(Date.now() + 30 * DAY_MS).toISOString();
    const response = await call("POST", tokensPath(alice), {
      token: alice.token,
      json: { name: "  Backup cron  ", scope: READ, expires_at: expiresAt },
    });
    expect(response.headers.get("location")).toMatch(new RegExp(`/api/${alice.id}/tokens/[0-9a-f-]{36}$`));
    expect(response.headers.get("cache-control")).toBe("no-store");
    const created = await expectJson<TokenJson & { secret: string }>(response, 201);
    expect(created).toMatchObject({ name: "Backup cron", scope: READ, expires_at: expiresAt, last_used_at: null });
    expect(created.hint).toBe(`tsk_pat_…${created.secret.slice(-4)}`);

    const { secret, ...withoutSecret } = created;
    expect(await tokensOf(alice)).toEqual([withoutSecret]);
    const one = await expectJson<TokenJson>(
      await call("GET", tokenPath(alice, created.id), { token: alice.token }),
      200,
    );
    expect(one).toEqual(withoutSecret);
    expect(JSON.stringify(await tokensOf(alice))).not.toContain(secret.slice(8));

    expect((await revokePersonalToken(alice, created.id)).status).toBe(204);
    expect(await tokensOf(alice)).toEqual([]);
    await expectError(await call("GET", tokenPath(alice, created.id), { token: alice.token }), 404, "not_found");
    await expectError(await revokePersonalToken(alice, created.id), 404, "not_found");
  });

  it("stores only the secret's SHA-256 (and its last four characters), never the secret", async () => {
    const alice = await signUp("Alice");
    const { id, secret } = await createPersonalToken(alice);
    const rows = await db().$queryRaw<
      Record<string, unknown>[]
    >`SELECT * FROM personal_access_tokens WHERE id = ${id}::uuid`;
    expect(rows).toHaveLength(1);
    expect(rows[0]?.secret_hash).toBe(sha256(secret));
    expect(rows[0]?.secret_hint).toBe(secret.slice(-4));
    const stored = JSON.stringify(rows[0]);
    // No column holds the secret, or any eight characters of its random part in a row.
    const random = secret.slice(8, -6);
    for (let start = 0; start + 8 <= random.length; start++)
      expect(stored).not.toContain(random.slice(start, start + 8));
  });

  it("lists newest first, expired tokens included", async () => {
    const alice = await signUp("Alice");
    const first = await createPersonalToken(alice, { name: "first" });
    const second = await createPersonalToken(alice, { name: "second", scope: READ });
    await db().personalAccessToken.update({
      where: { id: first.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect((await tokensOf(alice)).map((token) => token.name)).toEqual([second.name, first.name]);
  });

  it("refuses a bad name, scope or expiry with a 422 naming the field", async () => {
    const alice = await signUp("Alice");
    const cases: [Record<string, unknown>, string][] = [
      [{ name: "   ", scope: READ }, "name"],
      [{ name: "x".repeat(TOKEN_NAME_MAX_CHARS + 1), scope: READ }, "name"],
      [{ scope: READ }, "name"],
      [{ name: "a", scope: "tasks:write" }, "scope"],
      [{ name: "a", scope: "admin" }, "scope"],
      [{ name: "a" }, "scope"],
      [{ name: "a", scope: READ, expires_at: new Date(Date.now() - 60_000).toISOString() }, "expires_at"],
      [
        {
          name: "a",
          scope: READ,
          expires_at: new Date(Date.now() + (TOKEN_EXPIRY_MAX_DAYS + 1) * DAY_MS).toISOString(),
        },
        "expires_at",
      ],
      [{ name: "a", scope: READ, expires_at: "next week" }, "expires_at"],
      [{ name: "a", scope: READ, user_id: "someone" }, "user_id"],
    ];
    for (const [body, field] of cases) {
      const error = await expectError(
        await call("POST", tokensPath(alice), { token: alice.token, json: body }),
        422,
        "validation_error",
      );
      expect(
        error.fields?.map((problem) => problem.field),
        JSON.stringify(body),
      ).toContain(field);
    }
    expect(await tokensOf(alice)).toEqual([]);
    // The longest name and expiry are taken; null is "never".
    await createPersonalToken(alice, { name: "x".repeat(TOKEN_NAME_MAX_CHARS), expires_at: null });
    await createPersonalToken(alice, {
      expires_at: new Date(Date.now() + TOKEN_EXPIRY_MAX_DAYS * DAY_MS - 60_000).toISOString(),
    });
  });

  it(`holds at most ${TOKENS_PER_USER_MAX} unrevoked tokens per user (409 past it), and revoking one makes room`, async () => {
    const alice = await signUp("Alice");
    await db().personalAccessToken.createMany({
      data: Array.from({ length: TOKENS_PER_USER_MAX - 1 }, (_, i) => ({
        userId: alice.id,
        name: `bulk ${i}`,
        scope: READ,
        secretHash: sha256(randomUUID()),
        secretHint: "abcd",
      })),
    });
    const last = await createPersonalToken(alice);
    const refused = await call("POST", tokensPath(alice), {
      token: alice.token,
      json: { name: "one more", scope: READ },
    });
    await expectError(refused, 409, "conflict");
    expect(await tokensOf(alice)).toHaveLength(TOKENS_PER_USER_MAX);
    expect((await revokePersonalToken(alice, last.id)).status).toBe(204);
    await createPersonalToken(alice);
  });

  it("Bob can neither see nor revoke Alice's tokens: 404 under his own path, 403 under hers", async () => {
    const [alice, bob] = await twoUsers();
    const token = await createPersonalToken(alice);
    expect(await tokensOf(bob)).toEqual([]);
    await expectError(await call("GET", tokenPath(bob, token.id), { token: bob.token }), 404, "not_found");
    await expectError(await revokePersonalToken(bob, token.id), 404, "not_found");
    await expectError(await call("GET", tokensPath(alice), { token: bob.token }), 403, "forbidden");
    await expectError(await call("DELETE", tokenPath(alice, token.id), { token: bob.token }), 403, "forbidden");
    await expectError(await call("GET", tokenPath(alice, "not-a-uuid"), { token: alice.token }), 404, "not_found");
    expect((await listWith(alice, token.secret)).status).toBe(200);
  });

  it("a personal token cannot manage tokens, whatever its scope (403), so a leaked one cannot make more", async () => {
    const alice = await signUp("Alice");
    const token = await createPersonalToken(alice, { scope: READ_WRITE });
    const attempts = [
      await call("GET", tokensPath(alice), { token: token.secret }),
      await call("POST", tokensPath(alice), { token: token.secret, json: { name: "more", scope: READ_WRITE } }),
      await call("GET", tokenPath(alice, token.id), { token: token.secret }),
      await call("DELETE", tokenPath(alice, token.id), { token: token.secret }),
    ];
    for (const response of attempts) {
      const error = await expectError(response, 403, "forbidden");
      expect(error.detail).toContain("personal access token");
    }
    expect(await tokensOf(alice)).toHaveLength(1);
    await expectInvalidToken(await call("GET", tokensPath(alice), {}));
  });

  it("deleting the user deletes their tokens, and the tokens stop working", async () => {
    const alice = await signUp("Alice");
    const token = await createPersonalToken(alice);
    expect((await listWith(alice, token.secret)).status).toBe(200);
    await db().user.delete({ where: { id: alice.id } });
    expect(await db().personalAccessToken.count({ where: { userId: alice.id } })).toBe(0);
    // Deleted in the database, not through a revocation that waits for every instance: once the trigger's
    // notification is in (tests/http/personal-tokens.test.ts counts what gets through meanwhile).
    const response = await refusedWithin(5_000, () => listWith(alice, token.secret));
    const challenge = await expectInvalidToken(response);
    expect(challenge).toContain("No such personal access token");
  });
});

describe("The task API takes a personal token", () => {
  it("as Authorization: Bearer, for its own user only (403 under another user's path)", async () => {
    const [alice, bob] = await twoUsers();
    const token = await createPersonalToken(alice);
    const task = await createTask(alice, { title: "Mine" });
    const read = await expectJson<{ id: string }>(
      await call("GET", taskPath(alice, task.id), { token: token.secret }),
      200,
    );
    expect(read.id).toBe(task.id);
    await expectError(await listWith(bob, token.secret), 403, "forbidden");
    const lowercase = await call("GET", tasksPath(alice), { headers: { Authorization: `bearer ${token.secret}` } });
    expect(lowercase.status).toBe(200);
  });

  it("a revoked token is refused on the very next request (401, saying it was revoked)", async () => {
    const alice = await signUp("Alice");
    const token = await createPersonalToken(alice);
    for (let i = 0; i < 3; i++) expect((await listWith(alice, token.secret)).status).toBe(200);
    expect((await revokePersonalToken(alice, token.id)).status).toBe(204);
    const challenge = await expectInvalidToken(await listWith(alice, token.secret));
    expect(challenge).toContain("revoked");
  });

  it("a token revoked by another instance (the row changed behind this one's back) is refused once its notification is in", async () => {
    const alice = await signUp("Alice");
    const token = await createPersonalToken(alice);
    for (let i = 0; i < 3; i++) expect((await listWith(alice, token.secret)).status).toBe(200);
    await db().personalAccessToken.update({ where: { id: token.id }, data: { revokedAt: new Date() } });
    const challenge = await expectInvalidToken(await refusedWithin(5_000, () => listWith(alice, token.secret)));
    expect(challenge).toContain("revoked");
  });

  it("an expired token is refused (401, saying it expired), even one this instance has just verified", async () => {
    const alice = await signUp("Alice");
    const soon = new Date(Date.now() + 1_500);
    const token = await createPersonalToken(alice, { expires_at: soon.toISOString() });
    expect((await listWith(alice, token.secret)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, soon.getTime() - Date.now() + 50));
    const challenge = await expectInvalidToken(await listWith(alice, token.secret));
    expect(challenge).toContain("expired");
    // Still listed, marked by its expiry, until revoked.
    expect((await tokensOf(alice)).map((listed) => listed.id)).toEqual([token.id]);
  });

  it("malformed, mistyped and unknown tokens are a 401", async () => {
    const alice = await signUp("Alice");
    const { secret } = await createPersonalToken(alice);
    const flipped = `${secret.slice(0, 20)}${secret[20] === "A" ? "B" : "A"}${secret.slice(21)}`;
    const unknownButWellFormed = (await createPersonalToken(await signUp("Other"))).secret;
    await db().personalAccessToken.deleteMany({ where: { secretHash: sha256(unknownButWellFormed) } });
    const cases: [string, string][] = [
      ["tsk_pat_", "copied in full"],
      ["tsk_pat_short", "copied in full"],
      [secret.slice(0, -1), "copied in full"],
      [`${secret}x`, "copied in full"],
      [flipped, "copied in full"],
      [unknownButWellFormed, "No such personal access token"],
    ];
    for (const [candidate, says] of cases) {
      const challenge = await expectInvalidToken(await listWith(alice, candidate));
      expect(challenge, candidate).toContain(says);
    }
    expect((await listWith(alice, secret)).status).toBe(200);
  });

  it("spends its user's rate limit, shared with the user's JWT", async () => {
    const alice = await signUp("Alice");
    const token = await createPersonalToken(alice);
    const remaining = async (secret: string) =>
      Number((await listWith(alice, secret)).headers.get("ratelimit-remaining"));
    const afterJwt = await remaining(alice.token);
    const afterPat = await remaining(token.secret);
    expect(afterPat).toBe(afterJwt - 1);
    expect(await remaining(alice.token)).toBe(afterPat - 1);
  });

  it("records when each token was last used, without a write per request", async () => {
    const alice = await signUp("Alice");
    const used = await createPersonalToken(alice, { name: "used" });
    const unused = await createPersonalToken(alice, { name: "unused" });
    const before = Date.now();
    for (let i = 0; i < 5; i++) expect((await listWith(alice, used.secret)).status).toBe(200);
    await flushTokenUses();
    const listed = new Map((await tokensOf(alice)).map((token) => [token.name, token]));
    expect(listed.get("unused")?.last_used_at).toBeNull();
    const lastUsed = Date.parse(listed.get("used")?.last_used_at ?? "");
    expect(lastUsed).toBeGreaterThanOrEqual(before - 5);
    expect(lastUsed).toBeLessThanOrEqual(Date.now());
    expect(unused.last_used_at).toBeNull();
  });
});
