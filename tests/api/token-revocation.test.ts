import { describe, expect, it } from "vitest";
import { REVOCATION_CHECK_TTL_MS } from "@/lib/auth/revocation";
import { db } from "@/lib/db";
import { BASE_URL, call } from "../support/app.ts";
import { cookieOf } from "../support/cookies.ts";
import { tasksPath } from "../support/tasks.ts";
import { expectInvalidToken, signWithServerKey, standardClaims } from "../support/tokens.ts";
import { fetchToken, signUp, type TestUser } from "../support/users.ts";

/** A POST to Better Auth from the app's own origin, with the session cookie, as the browser sends it. */
const authPost = (path: string, cookie: string, json: unknown = {}) =>
  call("POST", `/api/auth/${path}`, { json, headers: { Cookie: cookie, Origin: BASE_URL } });

const listWith = (user: TestUser, token: string) => call("GET", tasksPath(user), { token });

/** A second device: the same person signs in again and gets a session and token of their own. */
async function signInAgain(user: TestUser): Promise<{ cookie: string; token: string }> {
  const response = await call("POST", "/api/auth/sign-in/email", {
    json: { email: user.email, password: user.password },
    headers: { Origin: BASE_URL },
  });
  expect(response.status).toBe(200);
  const cookie = cookieOf(response);
  return { cookie, token: await fetchToken(cookie) };
}

describe("A token stops working when its session ends", () => {
  it("after Alice signs out, her old token is refused (401), and Bob's still works", async () => {
    const [alice, bob] = [await signUp("Alice"), await signUp("Bob")];
    expect((await listWith(alice, alice.token)).status).toBe(200);
    expect((await authPost("sign-out", alice.cookie)).status).toBe(200);
    const challenge = await expectInvalidToken(await listWith(alice, alice.token));
    expect(challenge).toContain("session");
    expect((await listWith(bob, bob.token)).status).toBe(200);
  });

  it("signing out on her laptop ends only the laptop's tokens: her phone's keep working", async () => {
    const alice = await signUp("Alice");
    const phone = await signInAgain(alice);
    expect((await authPost("sign-out", alice.cookie)).status).toBe(200);
    await expectInvalidToken(await listWith(alice, alice.token));
    expect((await listWith(alice, phone.token)).status).toBe(200);
  });

  it('"sign out everywhere" (revoke-sessions) ends every token of every device', async () => {
    const alice = await signUp("Alice");
    const phone = await signInAgain(alice);
    expect((await authPost("revoke-sessions", alice.cookie)).status).toBe(200);
    await expectInvalidToken(await listWith(alice, alice.token));
    await expectInvalidToken(await listWith(alice, phone.token));
  });

  it("a session that ended on another instance (its row deleted) is noticed within the check interval", async () => {
    const alice = await signUp("Alice");
    expect((await listWith(alice, alice.token)).status).toBe(200);
    // What a sign-out through another server instance leaves behind: no row, and this instance's cache unaware.
    await db().session.deleteMany({ where: { id: alice.sessionId } });
    const deadline = Date.now() + REVOCATION_CHECK_TTL_MS + 1_000;
    let status = 200;
    while (status === 200 && Date.now() < deadline) {
      status = (await listWith(alice, alice.token)).status;
      if (status === 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe(401);
  });

  it("an expired session's tokens are refused, even while the token itself has minutes left", async () => {
    const alice = await signUp("Alice");
    await db().session.update({ where: { id: alice.sessionId }, data: { expiresAt: new Date(Date.now() - 1_000) } });
    await new Promise((resolve) => setTimeout(resolve, REVOCATION_CHECK_TTL_MS));
    await expectInvalidToken(await listWith(alice, alice.token));
  });
});

describe("A token stops working when the password changes", () => {
  it("with revokeOtherSessions, every earlier token is refused, and the new session's token works", async () => {
    const alice = await signUp("Alice");
    const phone = await signInAgain(alice);
    const response = await authPost("change-password", alice.cookie, {
      currentPassword: alice.password,
      newPassword: "an entirely new passphrase",
      revokeOtherSessions: true,
    });
    expect(response.status).toBe(200);
    await expectInvalidToken(await listWith(alice, alice.token));
    await expectInvalidToken(await listWith(alice, phone.token));
    const freshToken = await fetchToken(cookieOf(response));
    expect((await listWith(alice, freshToken)).status).toBe(200);
  });

  it("without revoking sessions, tokens issued before the change are refused; a token fetched after it works", async () => {
    const alice = await signUp("Alice");
    const before = alice.token;
    // Tokens carry whole seconds: make the change land in a later second than the token's `iat`.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const response = await authPost("change-password", alice.cookie, {
      currentPassword: alice.password,
      newPassword: "an entirely new passphrase",
    });
    expect(response.status).toBe(200);
    const challenge = await expectInvalidToken(await listWith(alice, before));
    expect(challenge).toContain("password");
    expect((await listWith(alice, await fetchToken(alice.cookie))).status).toBe(200);
  });
});

describe("A token must name a live session of its own user", () => {
  it("a token signed with the server's key but no `sid` claim is refused", async () => {
    const alice = await signUp("Alice");
    const { sid: _, ...claims } = standardClaims(alice);
    const challenge = await expectInvalidToken(await listWith(alice, await signWithServerKey(claims)));
    expect(challenge).toContain("sid");
  });

  it("Bob cannot keep a token alive with Alice's session id: the session must be his", async () => {
    const [alice, bob] = [await signUp("Alice"), await signUp("Bob")];
    const forged = await signWithServerKey({ ...standardClaims(bob), sid: alice.sessionId });
    await expectInvalidToken(await listWith(bob, forged));
  });
});
