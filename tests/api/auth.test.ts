import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { BASE_URL, call, dispatch } from "../support/app.ts";
import { createTask, expectError, listTasks, taskPath, tasksPath } from "../support/tasks.ts";
import {
  decodeToken,
  expectInvalidToken,
  foreignKeyToken,
  hs256Token,
  nowSeconds,
  signWithServerKey,
  standardClaims,
  unsignedToken,
  withFlippedSignature,
  withPayload,
} from "../support/tokens.ts";
import { type TestUser, twoUsers } from "../support/users.ts";

// The claims a task-API token may carry (`sid`: the session it was issued from); anything else would be data about
// the person.
const REGISTERED_CLAIMS = ["sub", "sid", "iat", "exp", "nbf", "iss", "aud", "jti"];

let alice: TestUser;
let bob: TestUser;
let bobsTask: Awaited<ReturnType<typeof createTask>>;

beforeAll(async () => {
  [alice, bob] = await twoUsers();
  bobsTask = await createTask(bob, { title: "Bob's secret plan", description: "Surprise party for Alice" });
});

/** Bob's task as Bob sees it: the proof that a refused request changed nothing. */
async function bobsTaskNow() {
  const response = await call("GET", taskPath(bob, bobsTask.id), { token: bob.token });
  expect(response.status).toBe(200);
  return response.json();
}

describe("A person with a valid token", () => {
  it("Alice lists her tasks with the token Better Auth gave her", async () => {
    const response = await call("GET", tasksPath(alice), { token: alice.token });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual([]);
  });

  it("Alice may spell the scheme in lower case (`bearer`), as RFC 6750 allows", async () => {
    const response = await call("GET", tasksPath(alice), { headers: { Authorization: `bearer ${alice.token}` } });
    expect(response.status).toBe(200);
  });

  it("a token the server key signs with standard claims is accepted (the baseline every forgery below departs from)", async () => {
    const token = await signWithServerKey(standardClaims(bob));
    const response = await call("GET", tasksPath(bob), { token });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { id: string }[]).map((task) => task.id)).toEqual([bobsTask.id]);
  });

  it("a token that expired less than the 5 s clock tolerance ago is still accepted", async () => {
    const now = nowSeconds();
    const token = await signWithServerKey({ ...standardClaims(alice), iat: now - 60, exp: now - 2 });
    const response = await call("GET", tasksPath(alice), { token });
    expect(response.status).toBe(200);
  });
});

describe("Alice's token says who she is and nothing more", () => {
  it("its payload carries her user id as `sub` and no email, name or other personal data", () => {
    const { payload } = decodeToken(alice.token);
    expect(payload.sub).toBe(alice.id);
    expect(payload.iss).toBe(BASE_URL);
    expect(payload.aud).toBe(BASE_URL);
    expect(typeof payload.exp).toBe("number");
    for (const claim of Object.keys(payload)) expect(REGISTERED_CLAIMS).toContain(claim);
    const serialized = JSON.stringify(payload);
    expect(serialized).not.toContain(alice.email);
    expect(serialized).not.toContain("Alice");
    expect(payload).not.toHaveProperty("email");
    expect(payload).not.toHaveProperty("name");
  });

  it("it is signed with EdDSA under a key the JWKS endpoint publishes", async () => {
    const { header } = decodeToken(alice.token);
    expect(header.alg).toBe("EdDSA");
    expect(typeof header.kid).toBe("string");

    const response = await call("GET", "/api/auth/jwks");
    expect(response.status).toBe(200);
    const { keys } = (await response.json()) as { keys: Record<string, unknown>[] };
    const key = keys.find((candidate) => candidate.kid === header.kid);
    expect(key).toBeDefined();
    expect(key).toMatchObject({ kty: "OKP", crv: "Ed25519" });
    expect(key?.alg ?? "EdDSA").toBe("EdDSA");
    // Only the public half is published.
    for (const published of keys) expect(published).not.toHaveProperty("d");
  });
});

describe("Requests without a usable Authorization header get 401 invalid_token", () => {
  it("no Authorization header at all: 401 with a bare `Bearer` challenge (no error code, per RFC 6750 §3.1)", async () => {
    const challenge = await expectInvalidToken(await call("GET", tasksPath(alice)));
    expect(challenge).not.toContain("error=");
  });

  it("HTTP Basic credentials instead of a token", async () => {
    const basic = Buffer.from(`${alice.email}:${alice.password}`).toString("base64");
    const challenge = await expectInvalidToken(
      await call("GET", tasksPath(alice), { headers: { Authorization: `Basic ${basic}` } }),
    );
    expect(challenge).toContain('error="invalid_token"');
  });

  it("Alice's session cookie instead of a token", async () => {
    await expectInvalidToken(await call("GET", tasksPath(alice), { headers: { Cookie: alice.cookie } }));
  });

  it("the word `Bearer` with no token after it", async () => {
    await expectInvalidToken(await call("GET", tasksPath(alice), { headers: { Authorization: "Bearer" } }));
    await expectInvalidToken(await call("GET", tasksPath(alice), { headers: { Authorization: "Bearer   " } }));
  });

  it("`Bearer not-a-jwt`", async () => {
    const challenge = await expectInvalidToken(
      await call("GET", tasksPath(alice), { headers: { Authorization: "Bearer not-a-jwt" } }),
    );
    expect(challenge).toContain('error="invalid_token"');
  });

  it("three dot-separated segments that are not base64url JSON", async () => {
    await expectInvalidToken(await call("GET", tasksPath(alice), { token: "abc.def.ghi" }));
  });

  it("two valid tokens in one header", async () => {
    await expectInvalidToken(
      await call("GET", tasksPath(alice), { headers: { Authorization: `Bearer ${alice.token} ${alice.token}` } }),
    );
  });

  it("two Authorization headers, each with a valid token", async () => {
    const headers = new Headers([
      ["Authorization", `Bearer ${alice.token}`],
      ["Authorization", `Bearer ${alice.token}`],
    ]);
    await expectInvalidToken(await dispatch(new Request(new URL(tasksPath(alice), BASE_URL), { headers })));
  });
});

describe("Every task endpoint refuses a request without a token (and changes nothing)", () => {
  it("listing tasks", async () => {
    await expectInvalidToken(await call("GET", tasksPath(bob)));
  });

  it("creating a task", async () => {
    await expectInvalidToken(await call("POST", tasksPath(bob), { json: { title: "Sneaky" } }));
    expect((await listTasks(bob)).map((task) => task.id)).toEqual([bobsTask.id]);
  });

  it("reading a task", async () => {
    await expectInvalidToken(await call("GET", taskPath(bob, bobsTask.id)));
  });

  it("replacing a task", async () => {
    const json = { title: "Hacked", description: null, completed: true };
    await expectInvalidToken(await call("PUT", taskPath(bob, bobsTask.id), { json }));
    expect(await bobsTaskNow()).toEqual(bobsTask);
  });

  it("patching a task", async () => {
    await expectInvalidToken(await call("PATCH", taskPath(bob, bobsTask.id), { json: { completed: true } }));
    expect(await bobsTaskNow()).toEqual(bobsTask);
  });

  it("deleting a task", async () => {
    await expectInvalidToken(await call("DELETE", taskPath(bob, bobsTask.id)));
    expect(await bobsTaskNow()).toEqual(bobsTask);
  });
});

describe("Mallory cannot forge or tamper with a token to become Bob (401 invalid_token)", () => {
  /** Sends the forged token to Bob's task list, which it claims access to, and expects a refusal. */
  async function expectRefusedAsBob(token: string) {
    const challenge = await expectInvalidToken(await call("GET", tasksPath(bob), { token }));
    expect(challenge).toContain('error="invalid_token"');
  }

  it("Bob's real token with one signature character changed", async () => {
    await expectRefusedAsBob(withFlippedSignature(bob.token));
  });

  it("Alice's real token with its payload rewritten to say `sub: Bob`", async () => {
    const { payload } = decodeToken(alice.token);
    await expectRefusedAsBob(withPayload(alice.token, { ...payload, sub: bob.id }));
  });

  it("Alice's real header and signature around Bob's real payload", async () => {
    const [, bobsPayload] = bob.token.split(".");
    const [header, , signature] = alice.token.split(".");
    await expectRefusedAsBob(`${header}.${bobsPayload}.${signature}`);
  });

  it("an unsigned token (`alg: none`)", async () => {
    await expectRefusedAsBob(unsignedToken(standardClaims(bob)));
  });

  it("an unsigned token that names the real key id", async () => {
    const { header } = decodeToken(bob.token);
    await expectRefusedAsBob(unsignedToken(standardClaims(bob), { kid: header.kid }));
  });

  it("an HS256 token whose HMAC key is the app's BETTER_AUTH_SECRET", async () => {
    const secret = process.env.BETTER_AUTH_SECRET ?? "";
    expect(secret.length).toBeGreaterThanOrEqual(32);
    await expectRefusedAsBob(await hs256Token(standardClaims(bob), secret));
  });

  it("a token signed by an Ed25519 key the app has never published (unknown kid)", async () => {
    await expectRefusedAsBob(await foreignKeyToken(standardClaims(bob), `mallory-${randomUUID()}`));
  });

  it("a token signed by a foreign Ed25519 key that claims the real key's kid", async () => {
    const { header } = decodeToken(bob.token);
    await expectRefusedAsBob(await foreignKeyToken(standardClaims(bob), header.kid));
  });

  it("a token signed by a foreign Ed25519 key with no kid at all", async () => {
    await expectRefusedAsBob(await foreignKeyToken(standardClaims(bob)));
  });

  it("a forged token cannot create a task in Bob's list either", async () => {
    const forged = unsignedToken(standardClaims(bob));
    await expectInvalidToken(await call("POST", tasksPath(bob), { token: forged, json: { title: "Planted" } }));
    expect((await listTasks(bob)).map((task) => task.id)).toEqual([bobsTask.id]);
  });
});

describe("Tokens signed by the real key but with the wrong claims are refused (401 invalid_token)", () => {
  it("issued by another issuer", async () => {
    const token = await signWithServerKey({ ...standardClaims(bob), iss: "https://attacker.example" });
    const body = await expectError(await call("GET", tasksPath(bob), { token }), 401, "invalid_token");
    expect(body.detail).toContain("iss");
  });

  it("meant for another audience", async () => {
    const token = await signWithServerKey({ ...standardClaims(bob), aud: "https://another-app.example" });
    const body = await expectError(await call("GET", tasksPath(bob), { token }), 401, "invalid_token");
    expect(body.detail).toContain("aud");
  });

  it("expired a minute ago (beyond the 5 s clock tolerance)", async () => {
    const now = nowSeconds();
    const token = await signWithServerKey({ ...standardClaims(bob), iat: now - 16 * 60, exp: now - 60 });
    const challenge = await expectInvalidToken(await call("GET", tasksPath(bob), { token }));
    expect(challenge).toContain('error="invalid_token"');
  });

  it("expired 10 s ago (just beyond the tolerance)", async () => {
    const now = nowSeconds();
    const token = await signWithServerKey({ ...standardClaims(bob), iat: now - 60, exp: now - 10 });
    await expectInvalidToken(await call("GET", tasksPath(bob), { token }));
  });

  it("not valid yet (`nbf` a minute in the future)", async () => {
    const token = await signWithServerKey({ ...standardClaims(bob), nbf: nowSeconds() + 60 });
    const body = await expectError(await call("GET", tasksPath(bob), { token }), 401, "invalid_token");
    expect(body.detail).toContain("nbf");
  });

  it("without a `sub` claim", async () => {
    const { sub: _omitted, ...claims } = standardClaims(bob);
    const token = await signWithServerKey(claims);
    expect(decodeToken(token).payload).not.toHaveProperty("sub");
    await expectInvalidToken(await call("GET", tasksPath(bob), { token }));
  });

  it("with an empty `sub` claim", async () => {
    const token = await signWithServerKey({ ...standardClaims(bob), sub: "" });
    expect(decodeToken(token).payload.sub).toBe("");
    await expectInvalidToken(await call("GET", "/api/%20/tasks", { token }));
  });
});

describe("Alice's valid token only opens Alice's path: 403 forbidden on Bob's", () => {
  it("Alice cannot list Bob's tasks", async () => {
    await expectError(await call("GET", tasksPath(bob), { token: alice.token }), 403, "forbidden");
  });

  it("Alice cannot create a task under Bob's user id", async () => {
    const response = await call("POST", tasksPath(bob), { token: alice.token, json: { title: "From Alice" } });
    await expectError(response, 403, "forbidden");
    expect((await listTasks(bob)).map((task) => task.id)).toEqual([bobsTask.id]);
    expect(await listTasks(alice)).toEqual([]);
  });

  it("Alice cannot read Bob's task through Bob's path", async () => {
    await expectError(await call("GET", taskPath(bob, bobsTask.id), { token: alice.token }), 403, "forbidden");
  });

  it("Alice cannot replace Bob's task through Bob's path", async () => {
    const json = { title: "Hacked", description: null, completed: true };
    await expectError(await call("PUT", taskPath(bob, bobsTask.id), { token: alice.token, json }), 403, "forbidden");
    expect(await bobsTaskNow()).toEqual(bobsTask);
  });

  it("Alice cannot patch Bob's task through Bob's path", async () => {
    const json = { completed: true };
    await expectError(await call("PATCH", taskPath(bob, bobsTask.id), { token: alice.token, json }), 403, "forbidden");
    expect(await bobsTaskNow()).toEqual(bobsTask);
  });

  it("Alice cannot delete Bob's task through Bob's path", async () => {
    await expectError(await call("DELETE", taskPath(bob, bobsTask.id), { token: alice.token }), 403, "forbidden");
    expect(await bobsTaskNow()).toEqual(bobsTask);
  });

  it("the 403 comes before body validation, so an invalid body under Bob's path reveals nothing more", async () => {
    const response = await call("POST", tasksPath(bob), { token: alice.token, json: { nonsense: true } });
    await expectError(response, 403, "forbidden");
  });

  it("a path user id that does not exist is forbidden too, not an empty list", async () => {
    await expectError(await call("GET", `/api/${randomUUID()}/tasks`, { token: alice.token }), 403, "forbidden");
  });
});
