import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REVOCATION_CHECK_TTL_MS } from "@/lib/auth/revocation";
import { authPostOver, type RunningServer, signUpOver, startServer } from "../support/server.ts";

// Two instances of the app on one database: a sign-out through one must end the token on the other, whose cache
// of session states knows nothing of it, within the check interval.

let first: RunningServer;
let second: RunningServer;

beforeAll(async () => {
  first = await startServer();
  second = await startServer({ instanceOf: first });
}, 120_000);

afterAll(() => Promise.all([first.stop(), second.stop()]));

const list = (server: RunningServer, user: { id: string; token: string }) =>
  fetch(`${server.url}/api/${user.id}/tasks`, { headers: { Authorization: `Bearer ${user.token}` } });

async function statusWithin(ms: number, probe: () => Promise<Response>): Promise<{ status: number; after: number }> {
  const started = Date.now();
  let status = 0;
  while (Date.now() - started < ms) {
    status = (await probe()).status;
    if (status !== 200) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { status, after: Date.now() - started };
}

describe("Revocation across instances", () => {
  it("after Alice signs out through one instance, the other refuses her token within the check interval", async () => {
    const alice = await signUpOver(first, "Alice");
    // The second instance has seen the token and cached the session as alive.
    expect((await list(second, alice)).status).toBe(200);
    expect((await authPostOver(first, "sign-out", alice.cookie)).status).toBe(200);
    expect((await list(first, alice)).status).toBe(401);
    const { status, after } = await statusWithin(REVOCATION_CHECK_TTL_MS + 3_000, () => list(second, alice));
    expect(status).toBe(401);
    expect(after).toBeLessThanOrEqual(REVOCATION_CHECK_TTL_MS + 1_000);
  });

  it('after "sign out everywhere" through the second instance, the first refuses every token of the account', async () => {
    const bob = await signUpOver(second, "Bob");
    expect((await list(first, bob)).status).toBe(200);
    expect((await authPostOver(second, "revoke-sessions", bob.cookie)).status).toBe(200);
    const { status } = await statusWithin(REVOCATION_CHECK_TTL_MS + 3_000, () => list(first, bob));
    expect(status).toBe(401);
  });
});
