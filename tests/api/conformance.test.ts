import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as settingsRoute from "@/app/api/[userId]/settings/route";
import * as moveRoute from "@/app/api/[userId]/tasks/[taskId]/move/route";
import * as openApiRoute from "@/app/api/openapi.json/route";
import { db } from "@/lib/db";
import { REFUSED_METHOD_HEADER } from "@/lib/http/start-script-headers";
import { openApiDocument } from "@/lib/openapi/document";
import type { TaskJson } from "@/lib/tasks/schema";
import { BASE_URL, dispatch } from "../support/app.ts";
import {
  feedFollower,
  fuzzRuns,
  fuzzSeed,
  listRows,
  type OperationSpec,
  operationsOf,
  prepare,
  roundTrip,
  SchemaOracle,
  seedTasks,
  TaskModel,
  type Transport,
  taskDraws,
  type WireRequest,
  type World,
} from "../support/conformance.ts";
import { invalid, type Schema, valid } from "../support/json-schema-arbitrary.ts";
import { DocumentChecker, type Observed, observe } from "../support/openapi.ts";
import { createTask, listTasks } from "../support/tasks.ts";
import { signUp } from "../support/users.ts";

/**
 * Property-based conformance, in-process: requests drawn from the OpenAPI document's own schemas (a change to the
 * document changes what is drawn), sent through the real route handlers. Every response must be documented for its
 * operation and status (same checker as tests/api/contract.test.ts), carry X-Request-Id and never be a 5xx; the
 * status must be the one a model of the caller's tasks predicts; every success must read back what was sent.
 * tests/http/conformance.test.ts does a smaller run against the production server, for what only HTTP can carry.
 */

const SEED = fuzzSeed("tests/api/conformance");
const runs = fuzzRuns;
/** A property's time budget, scaled with its runs (FC_RUNS). */
const budget = (ms: number) => runs(ms);

/** The route handlers, as Next calls them; TRACE and COPY arrive as scripts/start.ts turns them into OPTIONS. */
const inProcess: Transport = async ({ method, path, headers, body }: WireRequest): Promise<Observed> => {
  const init = new Headers();
  for (const [name, value] of headers) init.append(name, value);
  let wireMethod = method;
  if (method === "TRACE" || method === "COPY") {
    init.set(REFUSED_METHOD_HEADER, method);
    wireMethod = "OPTIONS";
  }
  const request = new Request(`${BASE_URL}${path}`, {
    method: wireMethod,
    headers: init,
    body: body as BodyInit | undefined,
  });
  // tests/support/app.ts routes the API's task routes; this document's own route, the move and the settings are
  // called here as Next would.
  const { pathname } = new URL(request.url);
  const decode = (segment: string | undefined) => decodeURIComponent(segment ?? "");
  const move = /^\/api\/([^/]+)\/tasks\/([^/]+)\/move$/.exec(pathname);
  const settings = /^\/api\/([^/]+)\/settings$/.exec(pathname);
  const [route, params] =
    pathname === "/api/openapi.json"
      ? [openApiRoute, {}]
      : move
        ? [moveRoute, { userId: decode(move[1]), taskId: decode(move[2]) }]
        : settings
          ? [settingsRoute, { userId: decode(settings[1]) }]
          : [undefined, {}];
  if (route) {
    const handler = route[wireMethod as keyof typeof route] as (
      r: Request,
      c: { params: Promise<object> },
    ) => Promise<Response>;
    return observeOpening(await handler(request, { params: Promise.resolve(params) }));
  }
  return observeOpening(await dispatch(request));
};

/** An event stream (GET …/events) stays open until its token expires: what is checked here is its opening. */
async function observeOpening(response: Response): Promise<Observed> {
  if (!response.body || !response.headers.get("content-type")?.startsWith("text/event-stream")) {
    return observe(response);
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let body = "";
  while (!/event: ready\n.*\n\n/.test(body)) {
    const { done, value } = await reader.read();
    if (done) break;
    body += value;
  }
  await reader.cancel();
  return { status: response.status, headers: response.headers, body };
}

const document = openApiDocument();
let checker: DocumentChecker;
let oracle: SchemaOracle;
let operations: OperationSpec[];
let world: World;
let otherTasksBefore: TaskJson[];

beforeAll(async () => {
  checker = await DocumentChecker.create(document);
  oracle = new SchemaOracle(document);
  operations = operationsOf(checker);
  const [owner, other] = [await signUp("Alice"), await signUp("Bob")];
  const model = new TaskModel();
  // The owner's change feed, followed from before the world's first write.
  const now = await inProcess({
    method: "GET",
    path: `/api/${owner.id}/changes`,
    headers: [["authorization", `Bearer ${owner.token}`]],
  });
  const feed = feedFollower((JSON.parse(now.body) as { next: string }).next);
  // Lists to file tasks in (there is no list route yet): two of the owner's, one of the other user's.
  const ownLists = listRows(owner.id, ["Work", "Home"]);
  const otherLists = listRows(other.id, ["Bob's list"]);
  for (const { sql, values } of [...ownLists, ...otherLists]) await db().$executeRawUnsafe(sql, ...values);
  for (const task of seedTasks(ownLists.map(({ values }) => String(values[0])))) {
    const response = await inProcess({
      method: "POST",
      path: `/api/${owner.id}/tasks`,
      headers: [
        ["authorization", `Bearer ${owner.token}`],
        ["content-type", "application/json"],
      ],
      body: JSON.stringify(task),
    });
    expect(response.status, response.body).toBe(201);
    model.put(JSON.parse(response.body) as TaskJson, response.headers.get("etag"));
  }
  const foreign = [await createTask(other, { title: "Bob's" }), await createTask(other, { title: "Bob's too" })];
  world = {
    owner,
    other,
    model,
    foreign: foreign.map((task) => task.id),
    lists: ownLists.map(({ values }) => String(values[0])),
    foreignLists: otherLists.map(({ values }) => String(values[0])),
    feed,
  };
  otherTasksBefore = await listTasks(other);
});

afterAll(async () => {
  // Nothing the owner's requests did reached the other user's tasks.
  if (world) expect(await listTasks(world.other)).toEqual(otherTasksBefore);
});

const read = (path: string) =>
  inProcess({ method: "GET", path, headers: [["authorization", `Bearer ${world.owner.token}`]] });

/** The documented-response rules every answer obeys, whatever was asked. */
function basicProblems(method: string, path: string, observed: Observed): string[] {
  const problems = checker.problems(method, path, observed);
  if (observed.status >= 500) problems.push(`a ${observed.status}: ${observed.body.slice(0, 300)}`);
  if (!observed.headers.get("x-request-id")) problems.push("no X-Request-Id");
  return problems;
}

function fail(describe: string, observed: Observed, problems: string[]): never {
  throw new Error(`${describe} → ${observed.status} ${observed.body.slice(0, 400)}\n  ${problems.join("\n  ")}`);
}

describe("Requests drawn from the document", () => {
  it("the drawn values are what the document says: valid ones pass its schemas, invalid ones do not", () => {
    // The converter's own check: a bug there must not pass for one of the server's.
    const body = (name: string) => ({ $ref: `#/components/schemas/${name}` });
    for (const name of ["TaskCreate", "TaskReplace", "TaskPatch", "TaskMove", "SettingsPatch", "SignUp", "SignIn"]) {
      for (const value of fc.sample(valid(body(name), oracle.context), { numRuns: 50, seed: SEED })) {
        expect(oracle.accepts(body(name), value), `${name} ${JSON.stringify(value)}`).toBe(true);
      }
      for (const bad of fc.sample(invalid(body(name), oracle.context), { numRuns: 50, seed: SEED })) {
        if (!bad.prose) expect(oracle.accepts(body(name), bad.value), `${name} ${bad.reason}`).toBe(false);
      }
    }
  });

  it(
    "task operations answer as documented, as the model predicts, and read back what they accepted",
    async () => {
      const statuses = new Map<string, number>();
      await fc.assert(
        fc.asyncProperty(taskDraws(operations, oracle), async (draw) => {
          const prepared = prepare(draw, world);
          const observed = await inProcess(prepared.wire);
          const key = `${draw.operation.operationId} ${observed.status}`;
          statuses.set(key, (statuses.get(key) ?? 0) + 1);
          const problems = basicProblems(prepared.wire.method, prepared.wire.path, observed);
          if (!prepared.expected.includes(observed.status)) {
            problems.push(`expected ${prepared.expected.join(" or ")}`);
          }
          if (problems.length === 0 && observed.status < 300) {
            problems.push(...(await roundTrip(prepared, draw, observed, world, read)));
          }
          if (problems.length > 0) fail(prepared.describe, observed, problems);
        }),
        { seed: SEED, numRuns: runs(500), endOnFailure: process.env.FC_SHRINK !== "1" },
      );
      console.log(`statuses seen: ${[...statuses].map(([key, count]) => `${key} ×${count}`).join(", ")}`);
      // The draw reaches every documented outcome that depends only on the request.
      const seen = new Set(statuses.keys());
      for (const key of [
        "createTask 201",
        "createTask 422",
        "updateTask 412",
        "getTask 304",
        "listTasks 422",
        "deleteTask 204",
        "moveTask 200",
        "moveTask 422",
        "replaceTask 200",
        "replaceTask 422",
        "getTaskSummary 200",
        "updateSettings 200",
        "listChanges 200",
        "listChanges 400",
        "listChanges 410",
      ]) {
        expect([...seen], key).toContain(key);
      }
    },
    budget(120_000),
  );

  it(
    "every path answers each method as documented: its operations, 405 with Allow for the rest, the preflight",
    async () => {
      const templates = [...new Set(operations.map((op) => op.template))];
      const methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "COPY"];
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...templates),
          fc.constantFrom(...methods),
          fc.constantFrom(undefined, "http://localhost:3000", "https://evil.example"),
          async (template, method, origin) => {
            const path = template.replace("{userId}", world.owner.id).replace("{taskId}", world.model.ids()[0] ?? "x");
            const headers: [string, string][] = [["authorization", `Bearer ${world.owner.token}`]];
            if (origin) headers.push(["origin", origin]);
            // Requests with no body, on purpose: what matters is that the method is refused or taken as documented.
            const observed = await inProcess({ method, path, headers });
            const problems = basicProblems(method, path, observed);
            const listed = checker.methodsOf(template);
            if (!listed.includes(method) && observed.status !== 405) problems.push("a method the path does not list");
            if (method === "OPTIONS") {
              if (observed.status !== 204) problems.push("the preflight is a 204");
              const allowed = observed.headers.get("access-control-allow-origin");
              if (allowed !== (origin === "http://localhost:3000" ? origin : null)) {
                problems.push(`Access-Control-Allow-Origin ${allowed} for ${origin}`);
              }
            }
            if (problems.length > 0) fail(`${method} ${path} (Origin ${origin})`, observed, problems);
          },
        ),
        { seed: SEED + 1, numRuns: runs(120) },
      );
    },
    budget(60_000),
  );

  it(
    "authentication operations answer as documented, with bodies drawn from their schemas",
    async () => {
      const auth = operations.filter((op) => op.template.startsWith("/api/auth/") && op.method !== "OPTIONS");
      // Its own person: signing out here must not end the session of the task properties' owner.
      const cora = await signUp("Cora");
      const draw = fc.constantFrom(...auth).chain((operation) =>
        fc.record({
          operation: fc.constant(operation),
          body: operation.body
            ? fc.oneof(
                {
                  weight: 3,
                  arbitrary: valid(operation.body, oracle.context).map((value) => ({ value, valid: true })),
                },
                {
                  weight: 2,
                  arbitrary: invalid(operation.body, oracle.context)
                    .map((bad) => ({ ...bad, accepted: oracle.accepts(operation.body as Schema, bad.value) }))
                    .map((bad) => ({ value: bad.value, valid: bad.accepted && !bad.prose })),
                },
              )
            : fc.constant(undefined),
          form: fc.boolean(),
          cookie: fc.boolean(),
        }),
      );
      await fc.assert(
        fc.asyncProperty(draw, async ({ operation, body, form, cookie }) => {
          const headers: [string, string][] = [];
          if (cookie) headers.push(["cookie", cora.cookie]);
          let wireBody: string | undefined;
          const formable = body && typeof body.value === "object" && body.value !== null && !Array.isArray(body.value);
          if (body && form && formable && operation.template.includes("/email")) {
            const entries = Object.entries(body.value as Record<string, unknown>).map(([k, v]) => [k, String(v)]);
            wireBody = new URLSearchParams(entries).toString();
            headers.push(["content-type", "application/x-www-form-urlencoded"]);
          } else if (body) {
            wireBody = JSON.stringify(body.value);
            headers.push(["content-type", "application/json"]);
          }
          const path = operation.template;
          const observed = await inProcess({ method: operation.method, path, headers, body: wireBody });
          const problems = basicProblems(operation.method, path, observed);
          const json = wireBody !== undefined && !headers.some(([, value]) => value.includes("form"));
          // The prose of `password`: its length is counted in UTF-16 code units, where JSON Schema counts code points.
          const password = (body?.value as { password?: unknown } | undefined)?.password;
          const longInUtf16 = typeof password === "string" && password.length > 128;
          if (operation.operationId === "signUpEmail" && body?.valid && json && !longInUtf16) {
            // 422 only for an email drawn twice (a replay while shrinking).
            if (observed.status !== 200 && observed.status !== 422) problems.push("a valid sign-up is refused");
          }
          if (body && !body.valid && json && observed.status === 200) problems.push("an invalid body is accepted");
          if (problems.length > 0) fail(`${operation.method} ${path} ${wireBody?.slice(0, 200)}`, observed, problems);
        }),
        // Each sign-up hashes a password: a few dozen runs.
        { seed: SEED + 2, numRuns: runs(60) },
      );
    },
    budget(120_000),
  );
});
