import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { TaskJson } from "@/lib/tasks/schema";
import { call } from "../support/app.ts";
import {
  countingStream,
  expectListUnchanged,
  expectNoLeak,
  expectUnchanged,
  send,
  UUID_PATTERN,
  unknownTaskId,
} from "../support/requests.ts";
import { createTask, expectError, listTasks, taskPath, tasksPath } from "../support/tasks.ts";
import { signUp, type TestUser } from "../support/users.ts";

const MAX_BODY_BYTES = 64 * 1024;
const ALLOWED_ORIGIN = "http://localhost:3000";
const OTHER_ALLOWED_ORIGIN = "http://localhost:3001";
const EVIL_ORIGIN = "https://evil.example";

let person: TestUser;
let task: TaskJson;

beforeAll(async () => {
  person = await signUp("Protocol");
  task = await createTask(person, { title: "Protocol task", description: "must survive every refused request" });
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** A JSON body of exactly `bytes` bytes: a task whose description is padded out with `d`. */
function jsonOfSize(bytes: number): string {
  const skeleton = JSON.stringify({ title: "Big", description: "" });
  return JSON.stringify({ title: "Big", description: "d".repeat(bytes - skeleton.length) });
}

const accessControlHeaders = (response: Response) =>
  [...response.headers.keys()].filter((name) => name.toLowerCase().startsWith("access-control-"));

describe("a client must send JSON", () => {
  it.each([
    ["POST", "collection"],
    ["PUT", "task"],
    ["PATCH", "task"],
  ])("a %s body that is not JSON is 400 invalid_json and changes nothing", async (method) => {
    const listBefore = await listTasks(person);
    const path = method === "POST" ? tasksPath(person) : taskPath(person, task.id);
    await expectError(
      await send(method, path, { token: person.token, body: "{title: 'not json'" }),
      400,
      "invalid_json",
    );
    await expectListUnchanged(person, listBefore);
    await expectUnchanged(person, task);
  });

  it("an empty body declared as JSON is 400 invalid_json", async () => {
    await expectError(await send("POST", tasksPath(person), { token: person.token, body: "" }), 400, "invalid_json");
  });

  it.each([
    ["a 0xFF byte", [0xff]],
    ["a truncated multi-byte sequence", [0xe2, 0x82]],
    ["an overlong encoding of '/'", [0xc0, 0xaf]],
    ["a UTF-8-encoded surrogate (CESU-8)", [0xed, 0xa0, 0x80]],
  ])("a body with invalid UTF-8 (%s) is 400 invalid_json and stores nothing", async (_what, bad) => {
    const listBefore = await listTasks(person);
    const bytes = new Uint8Array([...Buffer.from('{"title":"ab'), ...bad, ...Buffer.from('cd"}')]);
    await expectError(await send("POST", tasksPath(person), { token: person.token, body: bytes }), 400, "invalid_json");
    await expectListUnchanged(person, listBefore);
  });

  it.each([
    ["no Content-Type", null],
    ["Content-Type: text/plain", "text/plain"],
    ["Content-Type: application/x-www-form-urlencoded", "application/x-www-form-urlencoded"],
    ["Content-Type: multipart/form-data", "multipart/form-data; boundary=x"],
  ])("a JSON body sent with %s is 415 unsupported_media_type and stores nothing", async (_what, contentType) => {
    const listBefore = await listTasks(person);
    const response = await send("POST", tasksPath(person), {
      token: person.token,
      body: JSON.stringify({ title: "Wrong media type" }),
      contentType,
    });
    await expectError(response, 415, "unsupported_media_type");
    await expectListUnchanged(person, listBefore);
  });

  it("a PATCH sent as a form is 415 and leaves the task unchanged", async () => {
    const response = await call("PATCH", taskPath(person, task.id), {
      token: person.token,
      body: new URLSearchParams({ completed: "true" }),
    });
    await expectError(response, 415, "unsupported_media_type");
    await expectUnchanged(person, task);
  });

  it.each(["application/json; charset=utf-8", "application/json;charset=UTF-8", "Application/JSON"])(
    "Content-Type: %s is accepted",
    async (contentType) => {
      const response = await send("POST", tasksPath(person), {
        token: person.token,
        body: JSON.stringify({ title: `Sent as ${contentType}` }),
        contentType,
      });
      expect(response.status).toBe(201);
      const created = (await response.json()) as TaskJson;
      expect(created.title).toBe(`Sent as ${contentType}`);
    },
  );
});

describe("a client cannot send an oversized body", () => {
  it("a body of exactly 64 KiB is read (and then judged on its content)", async () => {
    const body = jsonOfSize(MAX_BODY_BYTES);
    expect(Buffer.byteLength(body)).toBe(MAX_BODY_BYTES);
    const response = await send("POST", tasksPath(person), {
      token: person.token,
      body,
      headers: { "Content-Length": String(MAX_BODY_BYTES) },
    });
    // Read and parsed: the description is simply too long for a task.
    await expectError(response, 422, "validation_error");
  });

  it("a body one byte over 64 KiB with its Content-Length is 413 payload_too_large and stores nothing", async () => {
    const listBefore = await listTasks(person);
    const body = jsonOfSize(MAX_BODY_BYTES + 1);
    const response = await send("POST", tasksPath(person), {
      token: person.token,
      body,
      headers: { "Content-Length": String(Buffer.byteLength(body)) },
    });
    await expectError(response, 413, "payload_too_large");
    await expectListUnchanged(person, listBefore);
  });

  it("a declared Content-Length over 64 KiB is refused before any of the body is read", async () => {
    const body = countingStream(16 * 1024, 64);
    const response = await send("POST", tasksPath(person), {
      token: person.token,
      body: body.stream,
      headers: { "Content-Length": String(64 * 16 * 1024) },
    });
    await expectError(response, 413, "payload_too_large");
    expect(body.pulled()).toBe(0);
  });

  it("a streamed body without Content-Length is cut off soon after 64 KiB (413) instead of being read to the end", async () => {
    const listBefore = await listTasks(person);
    const chunkBytes = 16 * 1024;
    const chunkCount = 4096; // 64 MiB if it were read to the end
    const body = countingStream(chunkBytes, chunkCount);
    const response = await send("POST", tasksPath(person), { token: person.token, body: body.stream });
    await expectError(response, 413, "payload_too_large");
    // 64 KiB is 4 chunks; the fifth crosses the limit. Allow a little read-ahead, nothing like the whole stream.
    expect(body.pulled()).toBeGreaterThan(MAX_BODY_BYTES / chunkBytes);
    expect(body.pulled()).toBeLessThanOrEqual(MAX_BODY_BYTES / chunkBytes + 3);
    expect(body.cancelled()).toBe(true);
    await expectListUnchanged(person, listBefore);
  });

  it("an oversized PATCH is 413 and leaves the task unchanged", async () => {
    const body = JSON.stringify({ description: "d".repeat(MAX_BODY_BYTES) });
    const response = await send("PATCH", taskPath(person, task.id), { token: person.token, body });
    await expectError(response, 413, "payload_too_large");
    await expectUnchanged(person, task);
  });
});

describe("a client uses a method the resource does not have", () => {
  it.each(["PUT", "PATCH", "DELETE"])(
    "%s on the task collection is 405 method_not_allowed with an Allow header, and changes nothing",
    async (method) => {
      const listBefore = await listTasks(person);
      const response = await call(method, tasksPath(person), {
        token: person.token,
        json: method === "DELETE" ? undefined : { title: "x", description: null, completed: true },
      });
      await expectError(response, 405, "method_not_allowed");
      const allow = (response.headers.get("allow") ?? "").split(",").map((name) => name.trim());
      expect(allow).toEqual(expect.arrayContaining(["GET", "POST"]));
      expect(allow).not.toContain(method);
      await expectListUnchanged(person, listBefore);
    },
  );

  it("POST on a single task is 405 method_not_allowed with an Allow header, and creates nothing", async () => {
    const listBefore = await listTasks(person);
    const response = await call("POST", taskPath(person, task.id), { token: person.token, json: { title: "x" } });
    await expectError(response, 405, "method_not_allowed");
    const allow = (response.headers.get("allow") ?? "").split(",").map((name) => name.trim());
    expect(allow).toEqual(expect.arrayContaining(["GET", "PUT", "PATCH", "DELETE"]));
    expect(allow).not.toContain("POST");
    await expectListUnchanged(person, listBefore);
    await expectUnchanged(person, task);
  });
});

describe("browsers on the app's own origins may call the API (CORS)", () => {
  it.each([ALLOWED_ORIGIN, OTHER_ALLOWED_ORIGIN])(
    "a request from %s gets Access-Control-Allow-Origin echoing it, and Vary: Origin",
    async (origin) => {
      const response = await call("GET", tasksPath(person), { token: person.token, headers: { Origin: origin } });
      expect(response.status).toBe(200);
      expect(response.headers.get("access-control-allow-origin")).toBe(origin);
      expect(response.headers.get("vary") ?? "").toMatch(/\bOrigin\b/i);
    },
  );

  it("error responses to an allowed origin carry the CORS headers too, so the browser can read the error", async () => {
    const response = await call("GET", taskPath(person, unknownTaskId()), {
      token: person.token,
      headers: { Origin: ALLOWED_ORIGIN },
    });
    await expectError(response, 404, "not_found");
    expect(response.headers.get("access-control-allow-origin")).toBe(ALLOWED_ORIGIN);
    expect(response.headers.get("vary") ?? "").toMatch(/\bOrigin\b/i);
  });

  it("the Location of a new task is readable by a browser on an allowed origin", async () => {
    const response = await call("POST", tasksPath(person), {
      token: person.token,
      json: { title: "Seen from the browser" },
      headers: { Origin: ALLOWED_ORIGIN },
    });
    expect(response.status).toBe(201);
    const exposed = (response.headers.get("access-control-expose-headers") ?? "").toLowerCase();
    for (const name of ["location", "etag", "link", "x-request-id", "allow", "retry-after"]) {
      expect(exposed).toContain(name);
    }
    // A page on another trusted origin can read its budget.
    for (const name of ["ratelimit-limit", "ratelimit-remaining", "ratelimit-reset"]) expect(exposed).toContain(name);
  });

  it("a request from https://evil.example gets no Access-Control-* headers", async () => {
    const response = await call("GET", tasksPath(person), { token: person.token, headers: { Origin: EVIL_ORIGIN } });
    expect(accessControlHeaders(response)).toEqual([]);
    expect(response.headers.get("vary") ?? "").toMatch(/\bOrigin\b/i);
  });

  it("a look-alike origin (allowed host, other port or scheme) gets no Access-Control-* headers", async () => {
    for (const origin of ["http://localhost:3000.evil.example", "https://localhost:3000", "http://localhost:4000"]) {
      const response = await call("GET", tasksPath(person), { token: person.token, headers: { Origin: origin } });
      expect(accessControlHeaders(response), origin).toEqual([]);
    }
  });

  it.each([
    ["the task collection", () => tasksPath(person), "POST"],
    ["a single task", () => taskPath(person, task.id), "PATCH"],
  ])(
    "a preflight OPTIONS from an allowed origin to %s is 204 with the allowed methods and headers",
    async (_what, path, method) => {
      const response = await call("OPTIONS", path(), {
        headers: {
          Origin: ALLOWED_ORIGIN,
          "Access-Control-Request-Method": method,
          "Access-Control-Request-Headers": "authorization, content-type",
        },
      });
      expect(response.status).toBe(204);
      expect(await response.text()).toBe("");
      expect(response.headers.get("access-control-allow-origin")).toBe(ALLOWED_ORIGIN);
      const methods = (response.headers.get("access-control-allow-methods") ?? "")
        .split(",")
        .map((name) => name.trim());
      expect(methods).toContain(method);
      const headers = (response.headers.get("access-control-allow-headers") ?? "").toLowerCase();
      expect(headers).toContain("authorization");
      expect(headers).toContain("content-type");
    },
  );

  it("a preflight OPTIONS from https://evil.example gets no Access-Control-* headers", async () => {
    const response = await call("OPTIONS", tasksPath(person), {
      headers: { Origin: EVIL_ORIGIN, "Access-Control-Request-Method": "POST" },
    });
    expect(accessControlHeaders(response)).toEqual([]);
  });
});

describe("every response can be traced", () => {
  const requests: [string, () => Promise<Response>][] = [
    ["a 200 list", () => call("GET", tasksPath(person), { token: person.token })],
    ["a 201 creation", () => call("POST", tasksPath(person), { token: person.token, json: { title: "Traced" } })],
    [
      "a 204 deletion",
      async () => {
        const doomed = await createTask(person, { title: "Traced deletion" });
        return call("DELETE", taskPath(person, doomed.id), { token: person.token });
      },
    ],
    ["a 400", () => send("POST", tasksPath(person), { token: person.token, body: "{" })],
    ["a 401", () => call("GET", tasksPath(person))],
    ["a 404", () => call("GET", taskPath(person, unknownTaskId()), { token: person.token })],
    ["a 405", () => call("DELETE", tasksPath(person), { token: person.token })],
    ["a 413", () => send("POST", tasksPath(person), { token: person.token, body: jsonOfSize(MAX_BODY_BYTES + 1) })],
    ["a 415", () => send("POST", tasksPath(person), { token: person.token, body: "{}", contentType: "text/plain" })],
    ["a 422", () => call("POST", tasksPath(person), { token: person.token, json: {} })],
    [
      "a preflight OPTIONS",
      () =>
        call("OPTIONS", tasksPath(person), {
          headers: { Origin: ALLOWED_ORIGIN, "Access-Control-Request-Method": "POST" },
        }),
    ],
  ];

  it.each(requests)("%s response has an X-Request-Id", async (_what, request) => {
    const response = await request();
    expect(response.headers.get("x-request-id")).toMatch(UUID_PATTERN);
  });

  it("each response gets its own X-Request-Id", async () => {
    const ids = await Promise.all(
      Array.from({ length: 5 }, async () => {
        const response = await call("GET", tasksPath(person), { token: person.token });
        return response.headers.get("x-request-id");
      }),
    );
    expect(new Set(ids).size).toBe(5);
  });
});

describe("failures never leak internals", () => {
  const failures: [string, number, string, () => Promise<Response>][] = [
    ["not JSON", 400, "invalid_json", () => send("POST", tasksPath(person), { token: person.token, body: "{" })],
    ["no token", 401, "invalid_token", () => call("GET", tasksPath(person))],
    ["a forged token", 401, "invalid_token", () => call("GET", tasksPath(person), { token: "a.b.c" })],
    ["another user's path", 403, "forbidden", () => call("GET", "/api/someone-else/tasks", { token: person.token })],
    [
      "an unknown task",
      404,
      "not_found",
      () => call("GET", taskPath(person, unknownTaskId()), { token: person.token }),
    ],
    ["a non-UUID id", 404, "not_found", () => call("GET", taskPath(person, "1' OR '1'='1"), { token: person.token })],
    ["a wrong method", 405, "method_not_allowed", () => call("PUT", tasksPath(person), { token: person.token })],
    [
      "an oversized body",
      413,
      "payload_too_large",
      () => send("POST", tasksPath(person), { token: person.token, body: jsonOfSize(MAX_BODY_BYTES + 1) }),
    ],
    [
      "a text body",
      415,
      "unsupported_media_type",
      () => send("POST", tasksPath(person), { token: person.token, body: "{}", contentType: "text/plain" }),
    ],
    [
      "a NUL in a title",
      422,
      "validation_error",
      () => call("POST", tasksPath(person), { token: person.token, json: { title: "a\u0000b" } }),
    ],
    [
      "an unknown field",
      422,
      "validation_error",
      () => call("POST", tasksPath(person), { token: person.token, json: { title: "t", "SELECT 1": true } }),
    ],
  ];

  it.each(failures)("%s: the %i error body is only {error, detail[, fields]}", async (_what, status, code, request) => {
    const response = await request();
    // The unknown-field case echoes the client's own key back, which is fine; mask it before looking for SQL.
    const text = (await response.clone().text()).replaceAll("SELECT 1", "<field>");
    const masked = new Response(text);
    await expectNoLeak(masked);
    const body = await expectError(response, status, code);
    expect(Object.keys(body).filter((key) => !["error", "detail", "fields"].includes(key))).toEqual([]);
  });

  /** Replaces the Prisma client's task delegate for one test, so the next task query fails the way the database would. */
  function failNextTaskQueries(error: Error) {
    const holder = globalThis as typeof globalThis & { prismaClient?: object };
    const real = holder.prismaClient;
    expect(real, "the Prisma client is created by the first request").toBeDefined();
    const failing = new Proxy(
      {},
      {
        get: () => () => Promise.reject(error),
      },
    );
    // The task routes' queries: Prisma's task model, and the raw statements of lib/tasks/rows.ts.
    holder.prismaClient = new Proxy(real as object, {
      get: (target, property, receiver) => {
        if (property === "task") return failing;
        if (property === "$queryRaw") return () => Promise.reject(error);
        return Reflect.get(target, property, receiver);
      },
    });
    return () => {
      holder.prismaClient = real;
    };
  }

  it("an unexpected failure is 500 internal_error with a request id, and its cause is logged, not returned", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const cause = new Error(
      'Invalid `prisma.task.findMany()` invocation: SELECT "public"."tasks"."id" FROM "public"."tasks" WHERE user_id = $1',
    );
    const restore = failNextTaskQueries(cause);
    let response: Response;
    try {
      response = await call("GET", tasksPath(person), { token: person.token });
    } finally {
      restore();
    }
    const text = await expectNoLeak(response);
    expect(text).not.toContain(cause.message);
    const body = await expectError(response, 500, "internal_error");
    expect(Object.keys(body).sort()).toEqual(["detail", "error"]);
    const requestId = response.headers.get("x-request-id");
    expect(requestId).toMatch(UUID_PATTERN);
    expect(body.detail).toContain(requestId);
    // The cause goes to the server log under the same request id, for whoever investigates.
    const log = logged.mock.calls.map((args) => args.join(" ")).join("\n");
    expect(log).toContain(requestId);
    expect(log).toContain("findMany");
    // And the API works again once the database does.
    expect((await call("GET", tasksPath(person), { token: person.token })).status).toBe(200);
  });

  it("a database outage is 503 service_unavailable with Retry-After, and nothing about the connection leaks", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const outage = Object.assign(new Error("connect ECONNREFUSED 10.0.0.5:5432 (prisma pool)"), {
      code: "ECONNREFUSED",
    });
    const restore = failNextTaskQueries(outage);
    let response: Response;
    try {
      response = await call("PATCH", taskPath(person, task.id), { token: person.token, json: { completed: true } });
    } finally {
      restore();
    }
    const text = await expectNoLeak(response);
    expect(text).not.toMatch(/ECONNREFUSED|10\.0\.0\.5|5432/);
    await expectError(response, 503, "service_unavailable");
    expect(response.headers.get("retry-after")).toMatch(/^\d+$/);
    await expectUnchanged(person, task);
  });
});
