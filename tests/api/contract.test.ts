import { Validator } from "@seriousme/openapi-schema-validator";
import { SetMatchType } from "openapi-backend";
import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import * as openApiRoute from "@/app/api/openapi.json/route";
import { ERROR_STATUS } from "@/lib/http/errors";
import { openApiDocument } from "@/lib/openapi/document";
import { TITLE_PATTERN, TRIMMED_CHARACTERS } from "@/lib/openapi/json-schema";
import { BASE_URL, call } from "../support/app.ts";
import { changesPath, feedNow } from "../support/changes.ts";
import { cookieOf } from "../support/cookies.ts";
import { eventsPath, openStream, requestStream, type StreamOptions } from "../support/event-stream.ts";
import { DocumentChecker, type Json, observe, type ResponseObject } from "../support/openapi.ts";
import { createList, listPath, tagNamed, tagPath } from "../support/organise.ts";
import { createPersonalToken, READ, tokenPath, tokensPath } from "../support/personal-tokens.ts";
import { send } from "../support/requests.ts";
import { createTask, taskPath, tasksPath } from "../support/tasks.ts";
import { signUp, type TestUser } from "../support/users.ts";
import { registerWebhook, startReceiver, webhookPath, webhooksPath } from "../support/webhooks.ts";

/**
 * Real responses of every route, checked against the OpenAPI document by libraries (tests/support/openapi.ts):
 * openapi-backend finds the operation by method and path and validates the body (Ajv, JSON Schema 2020-12) and
 * headers of the response object for the status; @seriousme/openapi-schema-validator checks the document against the
 * OpenAPI 3.1 schema. Since the document is generated from the zod schemas, this is what keeps code and description
 * together; tests/api/conformance.test.ts does the same for requests drawn from the document itself.
 */

const document = openApiDocument();

/** Error codes that only a batch operation's result carries: `not_applied` (424) in an atomic batch. */
const BATCH_RESULT_CODES = new Set(["not_applied"]);

let checker: DocumentChecker;

beforeAll(async () => {
  checker = await DocumentChecker.create(document);
});

/**
 * Asserts that the document describes this response: an operation for the method and path (or, for a method the path
 * does not list, the shared 405), a response object for the status, and a body and headers its schemas accept.
 * Returns the parsed body (undefined if none).
 */
async function expectDocumented(method: string, url: string, response: Response): Promise<unknown> {
  const observed = await observe(response);
  expect(checker.problems(method, url, observed), `${method} ${url} → ${observed.status}`).toEqual([]);
  return observed.body === "" ? undefined : JSON.parse(observed.body);
}

/** A method a path does not list: the shared components.responses.MethodNotAllowed, with the path's `Allow`. */
async function expectMethodNotAllowed(method: string, url: string, response: Response) {
  expect(response.status).toBe(405);
  return expectDocumented(method, url, response);
}

function operationFor(method: string, url: string) {
  const operation = checker.operationFor(method, url);
  if (!operation) throw new Error(`The document has no operation for ${method} ${url}`);
  return operation;
}

/** The error codes a response's body allows: its `Error` schema narrowed by `allOf`. */
function codesOf(response: ResponseObject): string[] {
  const schema = checker.resolve(response).content?.["application/json"]?.schema as { allOf?: Json[] } | undefined;
  return (schema?.allOf ?? []).flatMap(
    (part) => ((part.properties as Json | undefined)?.error as { enum?: string[] })?.enum ?? [],
  );
}

function documentedErrorCodes(): Map<string, Set<number>> {
  const codes = new Map<string, Set<number>>();
  const paths = document.paths as Record<string, Record<string, { responses?: Record<string, ResponseObject> }>>;
  for (const pathItem of Object.values(paths)) {
    for (const operation of Object.values(pathItem)) {
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        for (const code of codesOf(response)) codes.set(code, new Set([...(codes.get(code) ?? []), Number(status)]));
      }
    }
  }
  return codes;
}

describe("The OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document));
    expect(result.errors ?? null).toBeNull();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });

  it("is served at GET /api/openapi.json, publicly, as the operation it describes", async () => {
    const response = await openApiRoute.GET(new Request(`${BASE_URL}/api/openapi.json`), {
      params: Promise.resolve({}),
    });
    expect(response.status).toBe(200);
    expect(await expectDocumented("GET", "/api/openapi.json", response)).toEqual(document);
  });

  it("documents every error code of ERROR_STATUS, always under the status the server gives it", () => {
    const documented = documentedErrorCodes();
    // A code only a batch operation's result carries (never a response's status) is described by that result.
    const batchResult = JSON.stringify((document.components as { schemas: Json }).schemas.TaskBatchResults);
    for (const [code, status] of Object.entries(ERROR_STATUS)) {
      if (BATCH_RESULT_CODES.has(code)) expect(batchResult).toContain(`${status} \`${code}\``);
      else expect([...(documented.get(code) ?? [])], code).toEqual([status]);
    }
    expect([...documented.keys(), ...BATCH_RESULT_CODES].sort()).toEqual(Object.keys(ERROR_STATUS).sort());
  });

  it("spells out, in the title's pattern, exactly the white space trim() removes", () => {
    const trimmed = new RegExp(`^[${TRIMMED_CHARACTERS}]$`, "u");
    const title = new RegExp(TITLE_PATTERN, "u");
    const disagreements: string[] = [];
    for (let codePoint = 0; codePoint <= 0xffff; codePoint++) {
      if (codePoint >= 0xd800 && codePoint <= 0xdfff) continue;
      const char = String.fromCodePoint(codePoint);
      const kept = char !== "\u0000" && char.trim() !== "";
      if (trimmed.test(char) !== (char.trim() === "") || title.test(char) !== kept) {
        disagreements.push(`U+${codePoint.toString(16)}`);
      }
    }
    expect(disagreements).toEqual([]);
  });

  it("uses every component it defines, and refers only to headers that are always there", () => {
    const text = JSON.stringify(document.paths) + JSON.stringify(document.components);
    const components = document.components as Record<string, Record<string, Json>>;
    for (const kind of ["schemas", "parameters", "headers", "responses"]) {
      for (const name of Object.keys(components[kind] ?? {})) {
        expect(text, `#/components/${kind}/${name} is used`).toContain(`"#/components/${kind}/${name}"`);
      }
    }
    // openapi-typescript (and most readers) take a header given by $ref as required, whatever it says inside.
    for (const [name, header] of Object.entries(components.headers ?? {})) expect(header.required, name).toBe(true);
  });

  it("lists 405 (with Allow) on every operation", () => {
    const paths = document.paths as Record<string, Record<string, { responses?: Record<string, ResponseObject> }>>;
    for (const [path, item] of Object.entries(paths)) {
      for (const [method, operation] of Object.entries(item)) {
        if (method === "parameters") continue;
        const notAllowed = operation.responses?.["405"];
        // Better Auth routes POST /get-session and then refuses it with a 405 of its own, documented as such.
        if (path === "/api/auth/get-session" && method === "post") expect(notAllowed?.content).toBeDefined();
        else expect(notAllowed, `${method} ${path}`).toEqual({ $ref: "#/components/responses/MethodNotAllowed" });
      }
    }
  });

  it("gives every operation a success and a client error, as linters ask (but for the one route that has none)", () => {
    const paths = document.paths as Record<string, Record<string, { operationId?: string; responses?: Json }>>;
    for (const item of Object.values(paths)) {
      for (const [method, operation] of Object.entries(item)) {
        if (method === "parameters") continue;
        const statuses = Object.keys(operation.responses ?? {});
        expect(
          statuses.some((status) => status.startsWith("4")),
          operation.operationId,
        ).toBe(true);
        expect(
          statuses.some((status) => status.startsWith("2")),
          operation.operationId,
        ).toBe(true);
      }
    }
  });

  it("refuses what the server must not send: an extra task field, or a status no operation lists", () => {
    const operation = operationFor("GET", "/api/someone/tasks/0b9e3a52-5f0e-4a53-9d59-6f1b2a7c8e11");
    const task = {
      id: "0b9e3a52-5f0e-4a53-9d59-6f1b2a7c8e11",
      title: "Buy milk",
      description: null,
      completed: false,
      created_at: "2026-01-07T10:00:00.000Z",
      updated_at: "2026-01-07T10:00:00.000Z",
      user_id: "someone",
      version: 3,
      list_id: null,
      due_date: "2026-12-05",
      due_time: null,
      priority: "high",
      position: "a0",
      tags: ["home"],
    };
    const { api } = checker;
    expect(api.validateResponse(task, operation, 200).errors ?? null).toBeNull();
    expect(api.validateResponse({ ...task, owner: "someone" }, operation, 200).valid).toBe(false);
    expect(api.validateResponse({ ...task, priority: "urgent" }, operation, 200).valid).toBe(false);
    const { user_id: _owner, ...withoutOwner } = task;
    expect(api.validateResponse(withoutOwner, operation, 200).valid).toBe(false);
    expect(api.validateResponse({ error: "not_found", detail: "Gone." }, operation, 404).valid).toBe(true);
    expect(api.validateResponse({ error: "forbidden", detail: "No." }, operation, 404).valid).toBe(false);
    expect(operation.responses?.["418"]).toBeUndefined();
    const headers = (etag: string) =>
      api.validateResponseHeaders({ etag, "x-request-id": crypto.randomUUID() }, operation, {
        statusCode: 200,
        setMatchType: SetMatchType.Any,
      });
    expect(headers('"3"').valid).toBe(true);
    expect(headers("3").valid).toBe(false);
  });
});

describe("Every route answers as the document says", () => {
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    [alice, bob] = [await signUp("Alice"), await signUp("Bob")];
  });

  describe("authentication (Better Auth)", () => {
    it("sign-up, sign-in, token and JWKS", async () => {
      const email = `contract-${crypto.randomUUID()}@example.test`;
      const password = "correct horse battery staple";
      const signUpResponse = await call("POST", "/api/auth/sign-up/email", { json: { name: "Cora", email, password } });
      expect(signUpResponse.status).toBe(200);
      await expectDocumented("POST", "/api/auth/sign-up/email", signUpResponse);

      const signIn = await call("POST", "/api/auth/sign-in/email", { json: { email, password } });
      expect(signIn.status).toBe(200);
      const cookie = cookieOf(signIn);
      await expectDocumented("POST", "/api/auth/sign-in/email", signIn);

      const wrongPassword = await call("POST", "/api/auth/sign-in/email", { json: { email, password: "wrong one!" } });
      expect(wrongPassword.status).toBe(401);
      await expectDocumented("POST", "/api/auth/sign-in/email", wrongPassword);

      const token = await call("GET", "/api/auth/token", { headers: { Cookie: cookie } });
      expect(token.status).toBe(200);
      await expectDocumented("GET", "/api/auth/token", token);

      const noSession = await call("GET", "/api/auth/token");
      expect(noSession.status).toBe(401);
      await expectDocumented("GET", "/api/auth/token", noSession);

      const jwks = await call("GET", "/api/auth/jwks");
      expect(jwks.status).toBe(200);
      await expectDocumented("GET", "/api/auth/jwks", jwks);
    });
  });

  describe("health", () => {
    it("GET 200, and 405 for another method", async () => {
      const ok = await call("GET", "/api/health");
      expect(ok.status).toBe(200);
      await expectDocumented("GET", "/api/health", ok);
      await expectMethodNotAllowed("POST", "/api/health", await call("POST", "/api/health", { json: {} }));
    });
  });

  describe("GET and POST /api/{userId}/tasks", () => {
    it("lists pages with Link until the last one, which has none", async () => {
      const carol = await signUp("Carol");
      for (const title of ["One", "Two", "Three"]) await createTask(carol, { title });
      const first = await call("GET", `${tasksPath(carol)}?limit=2`, { token: carol.token });
      expect(first.status).toBe(200);
      const link = first.headers.get("link") ?? "";
      expect(link).toMatch(/rel="next"/);
      expect(await expectDocumented("GET", `${tasksPath(carol)}?limit=2`, first)).toHaveLength(2);

      const next = new URL(link.slice(1, link.indexOf(">")));
      const last = await call("GET", `${next.pathname}${next.search}`, { token: carol.token });
      expect(last.status).toBe(200);
      expect(last.headers.has("link")).toBe(false);
      expect(await expectDocumented("GET", `${next.pathname}${next.search}`, last)).toHaveLength(1);
    });

    it("list errors: 401, 403, 400 invalid_cursor, 422", async () => {
      const cases: [string, string | undefined, number][] = [
        [tasksPath(alice), undefined, 401],
        [tasksPath(bob), alice.token, 403],
        [`${tasksPath(alice)}?cursor=forged`, alice.token, 400],
        [`${tasksPath(alice)}?limit=0&sort=priority`, alice.token, 422],
      ];
      for (const [path, token, status] of cases) {
        const response = await call("GET", path, { token });
        expect(response.status, path).toBe(status);
        await expectDocumented("GET", path, response);
      }
    });

    it("creates (201 with Location and ETag) and refuses bad bodies: 400, 413, 415, 422", async () => {
      const path = tasksPath(alice);
      const created = await call("POST", path, { token: alice.token, json: { title: "Buy milk", description: "Oat" } });
      expect(created.status).toBe(201);
      await expectDocumented("POST", path, created);

      const refusals: [Response, number][] = [
        [await send("POST", path, { token: alice.token, body: "{not json" }), 400],
        [await send("POST", path, { token: alice.token, body: `"${"x".repeat(70 * 1024)}"` }), 413],
        [await send("POST", path, { token: alice.token, body: "title=x", contentType: "text/plain" }), 415],
        [await call("POST", path, { token: alice.token, json: { title: "", id: "mine" } }), 422],
        [await call("POST", path, { json: { title: "No token" } }), 401],
      ];
      for (const [response, status] of refusals) {
        expect(response.status).toBe(status);
        await expectDocumented("POST", path, response);
      }
    });

    it("405 for a method the collection does not take", async () => {
      await expectMethodNotAllowed(
        "DELETE",
        tasksPath(alice),
        await call("DELETE", tasksPath(alice), { token: alice.token }),
      );
    });
  });

  describe("GET /api/{userId}/tasks/summary", () => {
    it("counts (200), 401, 403 and 405", async () => {
      const path = `${tasksPath(alice)}/summary`;
      const cases: [string, string | undefined, number][] = [
        [path, alice.token, 200],
        [path, undefined, 401],
        [`${tasksPath(bob)}/summary`, alice.token, 403],
      ];
      for (const [casePath, token, status] of cases) {
        const response = await call("GET", casePath, { token });
        expect(response.status, casePath).toBe(status);
        await expectDocumented("GET", casePath, response);
      }
      await expectMethodNotAllowed("POST", path, await call("POST", path, { token: alice.token, json: {} }));
    });
  });

  describe("GET, PUT, PATCH and DELETE /api/{userId}/tasks/{taskId}", () => {
    it("GET: 200 with ETag, 304 with If-None-Match, 404, 403", async () => {
      const task = await createTask(alice, { title: "Read me" });
      const path = taskPath(alice, task.id);
      const ok = await call("GET", path, { token: alice.token });
      expect(ok.status).toBe(200);
      const etag = ok.headers.get("etag") ?? "";
      await expectDocumented("GET", path, ok);

      const notModified = await call("GET", path, { token: alice.token, headers: { "If-None-Match": etag } });
      expect(notModified.status).toBe(304);
      await expectDocumented("GET", path, notModified);

      const missing = await call("GET", taskPath(alice, crypto.randomUUID()), { token: alice.token });
      expect(missing.status).toBe(404);
      await expectDocumented("GET", taskPath(alice, crypto.randomUUID()), missing);

      const foreign = await call("GET", path, { token: bob.token });
      expect(foreign.status).toBe(403);
      await expectDocumented("GET", path, foreign);
    });

    it("PUT: 200, 412 on a stale If-Match, 422, 404", async () => {
      const task = await createTask(alice, { title: "Replace me" });
      const path = taskPath(alice, task.id);
      const replacement = { title: "Replaced", description: null, completed: true };
      const cases: [Response, number][] = [
        [await call("PUT", path, { token: alice.token, json: replacement, headers: { "If-Match": '"999"' } }), 412],
        [await call("PUT", path, { token: alice.token, json: { title: "Only a title" } }), 422],
        [await call("PUT", path, { token: alice.token, json: replacement }), 200],
        [await call("PUT", taskPath(alice, crypto.randomUUID()), { token: alice.token, json: replacement }), 404],
      ];
      for (const [response, status] of cases) {
        expect(response.status).toBe(status);
        await expectDocumented("PUT", path, response);
      }
    });

    it("PATCH: 200, 412, 422 for an empty patch, 415", async () => {
      const task = await createTask(alice, { title: "Patch me" });
      const path = taskPath(alice, task.id);
      const cases: [Response, number][] = [
        [
          await call("PATCH", path, { token: alice.token, json: { completed: true }, headers: { "If-Match": '"1"' } }),
          200,
        ],
        [
          await call("PATCH", path, { token: alice.token, json: { completed: false }, headers: { "If-Match": '"1"' } }),
          412,
        ],
        [await call("PATCH", path, { token: alice.token, json: {} }), 422],
        [await send("PATCH", path, { token: alice.token, body: "{}", contentType: null }), 415],
      ];
      for (const [response, status] of cases) {
        expect(response.status).toBe(status);
        await expectDocumented("PATCH", path, response);
      }
    });

    it("DELETE: 412 on a stale If-Match, 204, then 404", async () => {
      const task = await createTask(alice, { title: "Delete me" });
      const path = taskPath(alice, task.id);
      const cases: [Response, number][] = [
        [await call("DELETE", path, { token: alice.token, headers: { "If-Match": '"7"' } }), 412],
        [await call("DELETE", path, { token: alice.token }), 204],
        [await call("DELETE", path, { token: alice.token }), 404],
      ];
      for (const [response, status] of cases) {
        expect(response.status).toBe(status);
        await expectDocumented("DELETE", path, response);
      }
    });

    it("405 for a method a task does not take", async () => {
      const task = await createTask(alice, { title: "Post to me" });
      const path = taskPath(alice, task.id);
      await expectMethodNotAllowed("POST", path, await call("POST", path, { token: alice.token, json: {} }));
    });
  });
  describe("POST /api/{userId}/tasks/batch and Idempotency-Key", () => {
    it("batch: 200 with every kind of result (atomic or not), and 400, 401, 403, 413, 415, 422, 405", async () => {
      const task = await createTask(alice, { title: "In a batch" });
      const path = `${tasksPath(alice)}/batch`;
      const operations = [
        { op: "create", body: { title: "New", tags: ["batch"] } },
        { op: "update", id: task.id, body: { completed: true }, if_match: `"${task.version}"` },
        { op: "update", id: task.id, body: { title: "Stale" }, if_match: `"${task.version}"` },
        { op: "create", body: { title: "" } },
        { op: "delete", id: crypto.randomUUID() },
        { op: "delete", id: task.id },
      ];
      const batch = (json: unknown, token = alice.token) => call("POST", path, { token, json });
      const cases: [Response, number][] = [
        [await batch({ operations }), 200],
        [await batch({ operations, atomic: true }), 200],
        [await send("POST", path, { token: alice.token, body: "{not json" }), 400],
        [await batch({ operations }, ""), 401],
        [await batch({ operations }, bob.token), 403],
        [await send("POST", path, { token: alice.token, body: `"${" ".repeat(7 * 1024 * 1024)}"` }), 413],
        [await send("POST", path, { token: alice.token, body: "{}", contentType: "text/plain" }), 415],
        [await batch({ operations: [{ op: "upsert" }] }), 422],
      ];
      for (const [response, status] of cases) {
        expect(response.status).toBe(status);
        await expectDocumented("POST", path, response);
      }
      await expectMethodNotAllowed("GET", path, await call("GET", path, { token: alice.token }));
    });

    it("Idempotency-Key: a replay (with Idempotent-Replayed), 400 for a bad key, 422 for a reused one, 409 in use", async () => {
      const path = tasksPath(alice);
      const post = (key: string, title: string) =>
        call("POST", path, { token: alice.token, json: { title }, headers: { "Idempotency-Key": key } });
      const key = crypto.randomUUID();
      const first = await post(key, "Once");
      const replay = await post(key, "Once");
      expect(replay.headers.get("idempotent-replayed")).toBe("true");
      const cases: [Response, number][] = [
        [first, 201],
        [replay, 201],
        [await post("", "Once"), 400],
        [await post(key, "Another"), 422],
      ];
      const holder = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await holder.connect();
      try {
        await holder.query("BEGIN");
        await holder.query("INSERT INTO idempotency_keys (user_id, key, request_hash) VALUES ($1, 'held', '')", [
          alice.id,
        ]);
        cases.push([await post("held", "Held"), 409]);
      } finally {
        await holder.query("ROLLBACK");
        await holder.end();
      }
      for (const [response, status] of cases) {
        expect(response.status).toBe(status);
        await expectDocumented("POST", path, response);
      }
    });

    it("documents Idempotency-Key, its refusals and the replay header on every POST behind the token", () => {
      const paths = document.paths as Record<string, Record<string, Json>>;
      const posts = Object.entries(paths).flatMap(([path, item]) =>
        // The task API's POSTs; managing tokens and webhooks (a signed-in user's JWT only) answers with secrets,
        // which a stored first answer would keep, so those take no key.
        item.post &&
        (item.post.security as Json[] | undefined)?.some((requirement) => "personalAccessToken" in requirement)
          ? [[path, item.post] as const]
          : [],
      );
      expect(posts.map(([path]) => path).sort()).toEqual([
        "/api/{userId}/import",
        "/api/{userId}/lists",
        "/api/{userId}/lists/{listId}/move",
        "/api/{userId}/tasks",
        "/api/{userId}/tasks/batch",
        "/api/{userId}/tasks/{taskId}/move",
      ]);
      for (const [path, operation] of posts) {
        const parameters = (operation.parameters as Json[]).map((parameter) => checker.resolve(parameter) as Json);
        expect(
          parameters.map((parameter) => parameter.name),
          path,
        ).toContain("Idempotency-Key");
        const responses = operation.responses as Record<string, ResponseObject>;
        expect(codesOf(responses["400"] as ResponseObject), path).toContain("invalid_idempotency_key");
        expect(codesOf(responses["409"] as ResponseObject), path).toContain("idempotency_key_in_use");
        expect(codesOf(responses["422"] as ResponseObject), path).toContain("idempotency_key_reused");
        const success = Object.entries(responses).find(([status]) => status.startsWith("2"))?.[1] as ResponseObject;
        expect(Object.keys(checker.resolve(success).headers ?? {}), path).toContain("Idempotent-Replayed");
      }
    });
  });

  describe("POST /api/{userId}/tasks/{taskId}/move and GET, PATCH /api/{userId}/settings", () => {
    it("move: 200 with ETag, 412, 422 for a foreign neighbour, 404, 403, 405", async () => {
      const [first, second] = [
        await createTask(alice, { title: "First" }),
        await createTask(alice, { title: "Second" }),
      ];
      const path = `${taskPath(alice, first.id)}/move`;
      const cases: [Response, number][] = [
        [await call("POST", path, { token: alice.token, json: { after: second.id } }), 200],
        [await call("POST", path, { token: alice.token, json: {}, headers: { "If-Match": '"1"' } }), 412],
        [await call("POST", path, { token: alice.token, json: { before: crypto.randomUUID() } }), 422],
        [await call("POST", `${taskPath(alice, crypto.randomUUID())}/move`, { token: alice.token, json: {} }), 404],
        [await call("POST", path, { token: bob.token, json: {} }), 403],
      ];
      for (const [response, status] of cases) {
        expect(response.status).toBe(status);
        await expectDocumented("POST", path, response);
      }
      await expectMethodNotAllowed("GET", path, await call("GET", path, { token: alice.token }));
    });

    it("settings: 200, 422 for an unknown zone, 401, 403, 405", async () => {
      const path = `/api/${alice.id}/settings`;
      const reads: [Response, number][] = [
        [await call("GET", path, { token: alice.token }), 200],
        [await call("GET", path, {}), 401],
        [await call("GET", path, { token: bob.token }), 403],
      ];
      for (const [response, status] of reads) {
        expect(response.status).toBe(status);
        await expectDocumented("GET", path, response);
      }
      const writes: [Response, number][] = [
        [await call("PATCH", path, { token: alice.token, json: { time_zone: "Europe/Paris" } }), 200],
        [await call("PATCH", path, { token: alice.token, json: { time_zone: "Atlantis/Capital" } }), 422],
      ];
      for (const [response, status] of writes) {
        expect(response.status).toBe(status);
        await expectDocumented("PATCH", path, response);
      }
      await expectMethodNotAllowed("PUT", path, await call("PUT", path, { token: alice.token, json: {} }));
    });
  });

  describe("webhooks", () => {
    it("the endpoint routes: 200, 201 with the secret, 204, 404, 409, 422, 401, 403, 405", async () => {
      const erin = await signUp("Erin");
      const path = webhooksPath(erin);
      const created = await call("POST", path, {
        token: erin.token,
        json: { url: "https://93.184.215.14/hooks", events: ["task.deleted"], description: "CI" },
      });
      expect(created.status).toBe(201);
      const { id } = (await expectDocumented("POST", path, created)) as { id: string };
      const one = webhookPath(erin, id);
      const { secret: personalToken } = await createPersonalToken(erin);
      const cases: [string, string, unknown, string | undefined, number][] = [
        ["GET", path, undefined, erin.token, 200],
        ["GET", path, undefined, undefined, 401],
        ["GET", path, undefined, alice.token, 403],
        ["GET", path, undefined, personalToken, 403],
        ["POST", path, { url: "https://93.184.215.14/pat" }, personalToken, 403],
        ["POST", path, { url: "https://10.0.0.1/hooks" }, erin.token, 422],
        ["GET", one, undefined, erin.token, 200],
        ["GET", webhookPath(erin, crypto.randomUUID()), undefined, erin.token, 404],
        ["PATCH", one, { enabled: false, events: ["*"] }, erin.token, 200],
        ["PATCH", one, {}, erin.token, 422],
        ["PATCH", webhookPath(erin, "nope"), { enabled: true }, erin.token, 404],
        ["POST", `${one}/secret`, undefined, erin.token, 200],
        ["POST", `${webhookPath(erin, crypto.randomUUID())}/secret`, undefined, erin.token, 404],
        ["GET", `${one}/deliveries`, undefined, erin.token, 200],
        ["GET", `${one}/deliveries?limit=0`, undefined, erin.token, 422],
        ["GET", `${webhookPath(erin, crypto.randomUUID())}/deliveries`, undefined, erin.token, 404],
        ["POST", `${one}/deliveries/${crypto.randomUUID()}/redeliver`, undefined, erin.token, 404],
        ["DELETE", one, undefined, erin.token, 204],
        ["DELETE", one, undefined, erin.token, 404],
      ];
      for (const [method, casePath, json, token, status] of cases) {
        const response = await call(method, casePath, { token, json });
        expect(response.status, `${method} ${casePath}`).toBe(status);
        await expectDocumented(method, casePath, response);
      }
      for (let n = 0; n < 10; n++) await registerWebhook(erin, { url: `https://93.184.215.14/${n}` });
      const tooMany = await call("POST", path, { token: erin.token, json: { url: "https://93.184.215.14/x" } });
      expect(tooMany.status).toBe(409);
      await expectDocumented("POST", path, tooMany);
      await expectMethodNotAllowed("PUT", path, await call("PUT", path, { token: erin.token, json: {} }));
    });

    it("deliveries and a redelivery as documented; what an endpoint receives is the document's webhooks payload", async () => {
      const fay = await signUp("Fay");
      const receiver = await startReceiver();
      try {
        const hook = await registerWebhook(fay, { url: receiver.url });
        await createTask(fay, { title: "Hooked", tags: ["sent"] });
        await receiver.until(() => receiver.received.length >= 2);
        const path = `${webhookPath(fay, hook.id)}/deliveries`;
        const listed = await call("GET", path, { token: fay.token });
        expect(listed.status).toBe(200);
        const deliveries = (await expectDocumented("GET", path, listed)) as { id: string }[];
        expect(deliveries).toHaveLength(2);
        const redeliver = `${path}/${deliveries[0]?.id}/redeliver`;
        const again = await call("POST", redeliver, { token: fay.token });
        expect(again.status).toBe(202);
        await expectDocumented("POST", redeliver, again);

        const webhooks = document.webhooks as Record<string, { post: { requestBody: { content: Json } } }>;
        const payloadSchema = (type: string) => {
          const content = webhooks[type]?.post.requestBody.content["application/json"] as { schema: Json };
          return content.schema;
        };
        for (const request of receiver.received) {
          const payload = JSON.parse(request.body) as { type: string };
          expect(checker.validate(payloadSchema(payload.type), payload), payload.type).toEqual([]);
          const other = payload.type === "task.upserted" ? "tag.upserted" : "task.upserted";
          expect(checker.validate(payloadSchema(other), payload)).not.toEqual([]);
        }
      } finally {
        await receiver.close();
      }
    });

    it("the cron route: 401 without CRON_SECRET's Bearer, 405 for another method", async () => {
      const path = "/api/cron/webhooks";
      for (const token of [undefined, alice.token]) {
        const response = await call("GET", path, { token });
        expect(response.status).toBe(401);
        await expectDocumented("GET", path, response);
      }
      await expectMethodNotAllowed("POST", path, await call("POST", path, { json: {} }));
    });
  });

  describe("personal access tokens: /api/{userId}/tokens and the task API with one", () => {
    it("list, create, read, revoke: 200, 201, 204, and 401, 403 (another user, a personal token), 404, 422, 415, 405", async () => {
      const dora = await signUp("Dora");
      const created = await createPersonalToken(dora, { scope: READ });
      const path = tokensPath(dora);
      const one = tokenPath(dora, created.id);
      const creations: [Response, number][] = [
        [await call("POST", path, { token: dora.token, json: { name: "ci", scope: READ, expires_at: null } }), 201],
        [await call("POST", path, { token: dora.token, json: { name: "", scope: "admin" } }), 422],
        [await send("POST", path, { token: dora.token, body: "{}", contentType: "text/plain" }), 415],
        [await call("POST", path, { token: created.secret, json: { name: "more", scope: READ } }), 403],
      ];
      for (const [response, status] of creations) {
        expect(response.status).toBe(status);
        await expectDocumented("POST", path, response);
      }
      const reads: [string, Response, number][] = [
        [path, await call("GET", path, { token: dora.token }), 200],
        [path, await call("GET", path, {}), 401],
        [path, await call("GET", path, { token: bob.token }), 403],
        [one, await call("GET", one, { token: dora.token }), 200],
        [one, await call("GET", one, { token: created.secret }), 403],
        [
          tokenPath(dora, crypto.randomUUID()),
          await call("GET", tokenPath(dora, crypto.randomUUID()), { token: dora.token }),
          404,
        ],
      ];
      for (const [url, response, status] of reads) {
        expect(response.status, url).toBe(status);
        await expectDocumented("GET", url, response);
      }
      const revocations: [Response, number][] = [
        [await call("DELETE", one, { token: dora.token }), 204],
        [await call("DELETE", one, { token: dora.token }), 404],
      ];
      for (const [response, status] of revocations) {
        expect(response.status).toBe(status);
        await expectDocumented("DELETE", one, response);
      }
      await expectMethodNotAllowed("PUT", path, await call("PUT", path, { token: dora.token, json: {} }));
      await expectMethodNotAllowed("PATCH", one, await call("PATCH", one, { token: dora.token, json: {} }));
    });

    it("the task API with a personal token: 200 on a read, 403 insufficient_scope on a write, 401 once revoked", async () => {
      const erin = await signUp("Erin");
      const token = await createPersonalToken(erin, { scope: READ });
      const task = await createTask(erin, { title: "Read me" });
      const path = taskPath(erin, task.id);
      const read = await call("GET", path, { token: token.secret });
      expect(read.status).toBe(200);
      await expectDocumented("GET", path, read);
      const write = await call("PATCH", path, { token: token.secret, json: { completed: true } });
      expect(write.status).toBe(403);
      await expectDocumented("PATCH", path, write);
      const create = await call("POST", tasksPath(erin), { token: token.secret, json: { title: "No" } });
      expect(create.status).toBe(403);
      await expectDocumented("POST", tasksPath(erin), create);
      await call("DELETE", tokenPath(erin, token.id), { token: erin.token });
      const revoked = await call("GET", path, { token: token.secret });
      expect(revoked.status).toBe(401);
      await expectDocumented("GET", path, revoked);
    });
  });

  describe("GET /api/{userId}/changes", () => {
    it("200 with events of every type, without since, and 400, 410, 422, 401, 403, 405", async () => {
      const carol = await signUp("Carol");
      const since = await feedNow(carol);
      const list = await createList(carol, "Feed");
      const task = await createTask(carol, { title: "Fed", list_id: list.id, tags: ["fed"] });
      await call("DELETE", tagPath(carol, (await tagNamed(carol, "fed")).id), { token: carol.token });
      await call("DELETE", taskPath(carol, task.id), { token: carol.token });
      await call("DELETE", listPath(carol, list.id), { token: carol.token });
      const path = changesPath(carol);
      const cases: [string, string | undefined, number][] = [
        [`${path}?since=${since}`, carol.token, 200],
        [path, carol.token, 200],
        [`${path}?since=${since}&limit=2`, carol.token, 200],
        [`${path}?since=not-a-token`, carol.token, 400],
        [`${path}?since=${BigInt(since) + 1000n}`, carol.token, 410],
        [`${path}?since=${since}&limit=0`, carol.token, 422],
        [path, undefined, 401],
        [path, alice.token, 403],
      ];
      for (const [casePath, token, status] of cases) {
        const response = await call("GET", casePath, { token });
        expect(response.status, casePath).toBe(status);
        const body = await expectDocumented("GET", casePath, response);
        if (casePath === cases[0]?.[0]) {
          const types = (body as { events: { type: string }[] }).events.map((event) => event.type);
          expect(new Set(types)).toEqual(
            new Set(["list.upserted", "task.upserted", "tag.upserted", "tag.deleted", "task.deleted", "list.deleted"]),
          );
        }
      }
      await expectMethodNotAllowed("POST", path, await call("POST", path, { token: carol.token, json: {} }));
    });

    it("GET …/events: the stream (200, its events valid ChangeEvents), and 400, 410, 401, 403, 405", async () => {
      const dana = await signUp("Dana");
      const since = await feedNow(dana);
      await createTask(dana, { title: "Streamed", tags: ["live"] });
      const path = eventsPath(dana);
      const stream = await openStream(dana, { lastEventId: since });
      const events = await stream.untilChanges(2);
      stream.close();
      const observed = { status: 200, headers: stream.response.headers, body: stream.text };
      expect(checker.problems("GET", path, observed)).toEqual([]);
      const feed = operationFor("GET", changesPath(dana));
      expect(checker.api.validateResponse({ events, next: "1" }, feed, 200).valid).toBe(true);
      const cases: [StreamOptions, number][] = [
        [{ lastEventId: "not-a-token" }, 400],
        [{ since: `${BigInt(since) + 1000n}` }, 410],
        [{ token: "" }, 401],
        [{ token: alice.token }, 403],
      ];
      for (const [options, status] of cases) {
        const response = await requestStream(dana, options);
        expect(response.status, JSON.stringify(options)).toBe(status);
        await expectDocumented("GET", path, response);
      }
      await expectMethodNotAllowed("DELETE", path, await call("DELETE", path, { token: dana.token }));
    });

    it("refuses events the server must not send: unknown types, data on a deletion, data of another kind", () => {
      const operation = operationFor("GET", "/api/someone/changes");
      const id = "0b9e3a52-5f0e-4a53-9d59-6f1b2a7c8e11";
      const tag = { id, name: "home", task_count: 2 };
      const page = (...events: unknown[]) => ({ events, next: "7" });
      const valid = (body: unknown) => checker.api.validateResponse(body, operation, 200).valid;
      expect(valid(page({ event_id: "7", type: "tag.upserted", id, data: tag }))).toBe(true);
      expect(valid(page({ event_id: "7", type: "tag.deleted", id }))).toBe(true);
      expect(valid(page({ event_id: "7", type: "tag.deleted", id, data: tag }))).toBe(false);
      expect(valid(page({ event_id: "7", type: "tag.upserted", id }))).toBe(false);
      expect(valid(page({ event_id: "7", type: "task.upserted", id, data: tag }))).toBe(false);
      expect(valid(page({ event_id: "7", type: "tag.renamed", id, data: tag }))).toBe(false);
      expect(valid(page({ event_id: 7, type: "tag.deleted", id }))).toBe(false);
      expect(valid({ events: [] })).toBe(false);
    });
  });

  describe("GET /api/{userId}/export and POST /api/{userId}/import", () => {
    it("export: JSON and CSV (200), 422 for an unknown format, 401, 403, 405", async () => {
      await createTask(alice, { title: "=Exported", tags: ["out"] });
      const path = `/api/${alice.id}/export`;
      const json = await call("GET", path, { token: alice.token });
      expect(json.status).toBe(200);
      await expectDocumented("GET", path, json);
      const csv = await call("GET", `${path}?format=csv`, { token: alice.token });
      expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
      // Not JSON, so checked without expectDocumented's parse.
      expect(checker.problems("GET", `${path}?format=csv`, await observe(csv))).toEqual([]);
      const refusals: [string, Response, number][] = [
        [`${path}?format=xml`, await call("GET", `${path}?format=xml`, { token: alice.token }), 422],
        [path, await call("GET", path), 401],
        [path, await call("GET", path, { token: bob.token }), 403],
      ];
      for (const [url, response, status] of refusals) {
        expect(response.status).toBe(status);
        await expectDocumented("GET", url, response);
      }
      await expectMethodNotAllowed("DELETE", path, await call("DELETE", path, { token: alice.token }));
    });

    it("import: a report (200) for JSON and CSV, and 400, 413, 415, 422, 401, 403, 405", async () => {
      const path = `/api/${bob.id}/import`;
      const exported = await (await call("GET", `/api/${alice.id}/export`, { token: alice.token })).json();
      const csv = "TYPE,CONTENT,PRIORITY\r\ntask,From Todoist @label,1\r\nnote,A comment,\r\n";
      const answers: [Response, number][] = [
        [await call("POST", path, { token: bob.token, json: exported }), 200],
        [await send("POST", path, { token: bob.token, body: csv, contentType: "text/csv" }), 200],
        [await send("POST", path, { token: bob.token, body: "{not json" }), 400],
        [
          await send("POST", path, {
            token: bob.token,
            body: "x".repeat(5 * 1024 * 1024 + 1),
            contentType: "text/csv",
          }),
          413,
        ],
        [await send("POST", path, { token: bob.token, body: "hello", contentType: "text/plain" }), 415],
        [await call("POST", path, { token: bob.token, json: { format: "other" } }), 422],
        [await send("POST", path, { token: bob.token, body: "a,b\r\n", contentType: "text/csv" }), 422],
        [await call("POST", path, { json: exported }), 401],
        [await call("POST", path, { token: alice.token, json: exported }), 403],
      ];
      for (const [response, status] of answers) {
        expect(response.status).toBe(status);
        await expectDocumented("POST", path, response);
      }
      await expectMethodNotAllowed("GET", path, await call("GET", path, { token: bob.token }));
    });
  });
});
