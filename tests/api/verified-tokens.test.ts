import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { call } from "../support/app.ts";
import { tasksPath } from "../support/tasks.ts";
import { decodeToken, expectInvalidToken, withFlippedSignature } from "../support/tokens.ts";
import { signUp, type TestUser } from "../support/users.ts";

// The server remembers tokens whose signature it checked (lib/auth/bearer.ts). What it remembers must never let
// through what a first look would refuse.

let alice: TestUser;

beforeAll(async () => {
  alice = await signUp("Alice");
  vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
});

afterAll(() => {
  vi.useRealTimers();
});

const list = (token: string) => call("GET", tasksPath(alice), { token });

describe("A token the server has already verified", () => {
  it("is refused once it expires, though its signature was checked while it was valid", async () => {
    expect((await list(alice.token)).status).toBe(200);
    const { exp } = decodeToken(alice.token).payload as { exp: number };
    vi.setSystemTime((exp + 60) * 1000);
    const detail = await expectInvalidToken(await list(alice.token));
    expect(detail).toMatch(/expired/);
  });

  it("with its signature altered is another token, and is refused", async () => {
    vi.useRealTimers();
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
    const fresh = await signUp("Alice again");
    expect((await call("GET", tasksPath(fresh), { token: fresh.token })).status).toBe(200);
    await expectInvalidToken(await call("GET", tasksPath(fresh), { token: withFlippedSignature(fresh.token) }));
  });

  it("is refused once its session ends, remembered or not", async () => {
    const bob = await signUp("Bob");
    const path = tasksPath(bob);
    expect((await call("GET", path, { token: bob.token })).status).toBe(200);
    await db().session.delete({ where: { id: bob.sessionId } });
    // The session's standing is cached for 2 s per instance (ADR 0011).
    vi.setSystemTime(Date.now() + 3_000);
    const detail = await expectInvalidToken(await call("GET", path, { token: bob.token }));
    expect(detail).toMatch(/session/);
  });
});
