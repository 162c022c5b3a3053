import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { KEY_SET_REFRESH_INTERVAL_MS as REFRESH_INTERVAL_MS } from "@/lib/auth/bearer";
import { getAuth } from "@/lib/auth/server";
import { db } from "@/lib/db";
import { call } from "../support/app.ts";
import { tasksPath } from "../support/tasks.ts";
import { decodeToken, expectInvalidToken, foreignKeyToken, standardClaims } from "../support/tokens.ts";
import { fetchToken, signUp, type TestUser } from "../support/users.ts";

let alice: TestUser;

beforeAll(async () => {
  alice = await signUp("Alice");
  // Only Date moves: the verifier's interval, token times and caches all read it; timers and I/O run as usual.
  vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
});

afterAll(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const list = (token: string) => call("GET", tasksPath(alice), { token });
const burst = (tokens: string[]) => Promise.all(tokens.map(list));

describe("When the signing key rotates", () => {
  it("a token signed by the new key is accepted once the key set is re-read, with one read for a burst", async () => {
    expect((await list(alice.token)).status).toBe(200);
    const oldKid = decodeToken(alice.token).header.kid;
    // Better Auth rotates when the newest key has expired: it mints a new key for the next token.
    await db().jwks.updateMany({ data: { expiresAt: new Date(Date.now() - 1_000) } });
    const rotated = await fetchToken(alice.cookie);
    expect(decodeToken(rotated).header.kid).not.toBe(oldKid);

    vi.setSystemTime(Date.now() + REFRESH_INTERVAL_MS + 1_000);
    const reads = vi.spyOn(getAuth().api, "getJwks");
    const responses = await burst(Array.from({ length: 20 }, () => rotated));
    expect(responses.map((response) => response.status)).toEqual(responses.map(() => 200));
    expect(reads).toHaveBeenCalledTimes(1);
    // Tokens of the old key stay valid through its grace period.
    expect((await list(alice.token)).status).toBe(200);
    reads.mockRestore();
  });

  it("a burst of tokens with unknown key ids costs at most one key read per interval, and each is refused", async () => {
    const reads = vi.spyOn(getAuth().api, "getJwks");
    const forged = await Promise.all(
      Array.from({ length: 20 }, (_, i) => foreignKeyToken(standardClaims(alice), `unknown-kid-${i}`)),
    );
    // Within the interval of the last read: no read at all.
    for (const response of await burst(forged)) await expectInvalidToken(response);
    expect(reads).toHaveBeenCalledTimes(0);
    // Past it: one read for the whole burst.
    vi.setSystemTime(Date.now() + REFRESH_INTERVAL_MS + 1_000);
    for (const response of await burst(forged)) await expectInvalidToken(response);
    expect(reads).toHaveBeenCalledTimes(1);
    for (const response of await burst(forged)) await expectInvalidToken(response);
    expect(reads).toHaveBeenCalledTimes(1);
    reads.mockRestore();
  });
});
