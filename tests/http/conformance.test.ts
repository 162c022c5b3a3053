import { request as httpRequest } from "node:http";
import fc from "fast-check";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SINGLETON_HEADERS } from "@/lib/http/start-script-headers";
import { openApiDocument } from "@/lib/openapi/document";
import type { TaskJson } from "@/lib/tasks/schema";
import {
  feedFollower,
  fuzzRuns,
  fuzzSeed,
  listRows,
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
import { DocumentChecker, type Observed } from "../support/openapi.ts";
import { dropDatabase, hasProductionBuild, type RunningServer, signUpOver, startServer } from "../support/server.ts";

/**
 * Property-based conformance against the production server (`node scripts/start.ts` on the build in .next), for
 * what in-process calls cannot carry: paths as raw bytes (percent-encodings of any UTF-8), HEAD, TRACE, repeated
 * headers, and the rate limits (which the in-process suite turns off or up). A smaller run than tests/api/conformance.
 */

const SEED = fuzzSeed("tests/http/conformance");
const runs = fuzzRuns;
/** A property's time budget, scaled with its runs (FC_RUNS). */
const budget = (ms: number) => runs(ms);
/** Task requests per user per minute on this server: low enough that a third user can be made to reach it. */
const API_LIMIT = 500;

/** Node's HTTP client, which sends the path and the headers exactly as given (repeated headers included). */
function overHttp(server: { url: string }): Transport {
  return ({ method, path: target, headers, body }: WireRequest) =>
    new Promise<Observed>((resolve, reject) => {
      const { hostname, port } = new URL(server.url);
      // A name with several values goes out as several header lines.
      const grouped: Record<string, string[]> = {};
      for (const [name, value] of headers) grouped[name] = [...(grouped[name] ?? []), value];
      const object: Record<string, string | string[]> = {};
      for (const [name, values] of Object.entries(grouped))
        object[name] = values.length === 1 ? (values[0] as string) : values;
      if (body !== undefined) object["content-length"] = String(Buffer.byteLength(body));
      const request = httpRequest({ host: hostname, port, method, path: target, headers: object }, (response) => {
        const chunks: Buffer[] = [];
        // An event stream does not end: what it sent up to its `ready` event is the body to check.
        const stream = response.headers["content-type"]?.startsWith("text/event-stream");
        response.on("data", (chunk: Buffer) => {
          chunks.push(chunk);
          if (stream && Buffer.concat(chunks).includes("event: ready")) request.destroy();
        });
        response.on(stream ? "close" : "end", () => {
          const responseHeaders = new Headers();
          for (let i = 0; i < response.rawHeaders.length; i += 2) {
            responseHeaders.append(response.rawHeaders[i] as string, response.rawHeaders[i + 1] as string);
          }
          resolve({
            status: response.statusCode ?? 0,
            headers: responseHeaders,
            body: Buffer.concat(chunks).toString("utf8"),
          });
        });
      });
      request.on("error", reject);
      if (body !== undefined) request.write(body);
      request.end();
    });
}

const document = openApiDocument();
let checker: DocumentChecker;
let oracle: SchemaOracle;
let server: RunningServer;
let send: Transport;
let world: World;
let otherTasksBefore: string;

function basicProblems(method: string, target: string, observed: Observed): string[] {
  const problems = checker.problems(method, target, observed);
  if (observed.status >= 500) problems.push(`a ${observed.status}: ${observed.body.slice(0, 300)}`);
  if (!observed.headers.get("x-request-id")) problems.push("no X-Request-Id");
  return problems;
}

function fail(describe: string, observed: Observed, problems: string[]): never {
  throw new Error(`${describe} → ${observed.status} ${observed.body.slice(0, 400)}\n  ${problems.join("\n  ")}`);
}

const bearer = (token: string): [string, string] => ["authorization", `Bearer ${token}`];

describe.skipIf(!hasProductionBuild())("The production server answers as the document says", () => {
  beforeAll(async () => {
    checker = await DocumentChecker.create(document);
    oracle = new SchemaOracle(document);
    server = await startServer({ env: { API_RATE_LIMIT: `${API_LIMIT}/60s`, REQUEST_LOG: "off" } });
    send = overHttp(server);
    const [owner, other] = [await signUpOver(server, "Alice"), await signUpOver(server, "Bob")];
    const model = new TaskModel();
    const foreign: string[] = [];
    // The owner's change feed, followed from before the world's first write.
    const now = await send({ method: "GET", path: `/api/${owner.id}/changes`, headers: [bearer(owner.token)] });
    const feed = feedFollower((JSON.parse(now.body) as { next: string }).next);
    // Lists to file tasks in (there is no list route yet), written to the server's database.
    const ownLists = listRows(owner.id, ["Work", "Home"]);
    const otherLists = listRows(other.id, ["Bob's list"]);
    const client = new pg.Client({ connectionString: server.databaseUrl });
    await client.connect();
    try {
      for (const { sql, values } of [...ownLists, ...otherLists]) await client.query(sql, values);
    } finally {
      await client.end();
    }
    const lists = ownLists.map(({ values }) => String(values[0]));
    for (const [user, body] of [
      ...seedTasks(lists).map((body) => [owner, body] as const),
      [other, { title: "Bob's" }] as const,
    ]) {
      const created = await send({
        method: "POST",
        path: `/api/${user.id}/tasks`,
        headers: [bearer(user.token), ["content-type", "application/json"]],
        body: JSON.stringify(body),
      });
      if (created.status !== 201)
        throw new Error(`setup: ${created.status} ${JSON.stringify([...created.headers])} ${created.body}`);
      const task = JSON.parse(created.body) as TaskJson;
      if (user === owner) model.put(task, created.headers.get("etag"));
      else foreign.push(task.id);
    }
    world = {
      owner,
      other,
      model,
      foreign,
      lists,
      foreignLists: otherLists.map(({ values }) => String(values[0])),
      feed,
    };
    otherTasksBefore = (await send({ method: "GET", path: `/api/${other.id}/tasks`, headers: [bearer(other.token)] }))
      .body;
  }, budget(120_000));

  afterAll(async () => {
    if (world) {
      const after = await send({
        method: "GET",
        path: `/api/${world.other.id}/tasks`,
        headers: [bearer(world.other.token)],
      });
      expect(after.body).toBe(otherTasksBefore);
    }
    if (server) {
      await server.stop();
      await dropDatabase(server.databaseName);
    }
  });

  it(
    "task requests over HTTP: documented, as the model predicts, read back; HEAD is GET without a body",
    async () => {
      const read = (target: string) => send({ method: "GET", path: target, headers: [bearer(world.owner.token)] });
      await fc.assert(
        fc.asyncProperty(
          taskDraws(operationsOf(checker), oracle),
          fc.constantFrom("as-is", "as-is", "as-is", "head", "repeat-header"),
          async (draw, twist) => {
            const prepared = prepare(draw, world);
            const wire = { ...prepared.wire, headers: [...prepared.wire.headers] };
            if (twist === "head" && wire.method === "GET") wire.method = "HEAD";
            let expected = prepared.expected;
            if (twist === "repeat-header" && wire.headers.length > 0) {
              // A header that may appear once, sent twice, is a 400 (the start script refuses it); If-Match and the
              // other list headers are joined, and answer as before.
              const [name, value] = wire.headers[0] as [string, string];
              wire.headers.push([name, value]);
              if (SINGLETON_HEADERS.has(name.toLowerCase())) expected = [400];
            }
            const observed = await send(wire);
            const problems = basicProblems(wire.method, wire.path, observed);
            if (observed.status !== 429 && !expected.includes(observed.status)) {
              problems.push(`expected ${expected.join(" or ")}`);
            }
            if (wire.method === "HEAD" && problems.length === 0) {
              const get = await send({ ...wire, method: "GET" });
              if (get.status !== observed.status) problems.push(`GET answers ${get.status}, HEAD ${observed.status}`);
              if (get.headers.get("etag") !== observed.headers.get("etag"))
                problems.push("HEAD and GET differ in ETag");
            } else if (problems.length === 0 && observed.status < 300) {
              problems.push(...(await roundTrip(prepared, draw, observed, world, read)));
            }
            if (problems.length > 0) fail(`${wire.method} ${prepared.describe} (${twist})`, observed, problems);
          },
        ),
        { seed: SEED, numRuns: runs(80), endOnFailure: process.env.FC_SHRINK !== "1" },
      );
    },
    budget(120_000),
  );

  it(
    "paths as raw bytes and any method: percent-encoded segments, TRACE, HEAD, OPTIONS",
    async () => {
      const templates = [...new Set(operationsOf(checker).map((op) => op.template))];
      // Segments a client may send: unreserved and sub-delimiter characters, and percent-encoded UTF-8 of any text
      // (undecodable bytes are the next test's). Dot segments and empty ones name other paths, so they are not drawn.
      const segment = fc
        .oneof(
          fc.stringMatching(/^[A-Za-z0-9\-._~!$&'()*+,;=:@]{1,20}$/),
          fc.string({ unit: "binary", minLength: 1, maxLength: 8 }).map((s) => encodeURIComponent(s)),
          fc.constantFrom("%2F", "%00", "%25", "%20", "%3F", "%23", "%E2%82%AC", "%F0%9F%98%80", "a%2Eb"),
        )
        .filter((s) => !/^(\.|%2e){1,2}$/i.test(s));
      const methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"];
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...templates),
          fc.constantFrom(...methods),
          segment,
          fc.boolean(),
          async (template, method, random, own) => {
            const target = template
              // Replacer functions: a segment such as `$'` must not be read as a replacement pattern.
              .replace("{userId}", () => (own ? world.owner.id : random))
              .replace("{taskId}", () => (own ? random : (world.model.ids()[0] ?? random)));
            const observed = await send({ method, path: target, headers: [bearer(world.owner.token)] });
            const problems = basicProblems(method, target, observed);
            if (!checker.methodsOf(template).includes(method === "HEAD" ? "GET" : method) && observed.status !== 405) {
              problems.push("a method the path does not list");
            }
            if (problems.length > 0) fail(`${method} ${target}`, observed, problems);
          },
        ),
        { seed: SEED + 1, numRuns: runs(80) },
      );
    },
    budget(120_000),
  );

  it("undecodable paths: 400 invalid_path on every operation's path", async () => {
    const templates = [...new Set(operationsOf(checker).map((op) => op.template))].filter((t) => t.includes("{"));
    const broken = fc.constantFrom("%FF", "%C3%28", "%", "%zz", "%2", "%ED%A0%80", "%C0%AF", "a%FFb");
    await fc.assert(
      fc.asyncProperty(
        // The path is refused before the method is looked at: any of the path's own methods will do.
        fc
          .constantFrom(...templates)
          .chain((template) => fc.tuple(fc.constant(template), fc.constantFrom(...checker.methodsOf(template)))),
        broken,
        async ([template, method], bad) => {
          const target = template.includes("{taskId}")
            ? template.replace("{userId}", world.owner.id).replace("{taskId}", () => bad)
            : template.replace("{userId}", () => bad);
          const observed = await send({ method, path: target, headers: [bearer(world.owner.token)] });
          const problems = basicProblems(method, target, observed);
          if (observed.status !== 400 || !observed.body.includes('"invalid_path"'))
            problems.push("not a 400 invalid_path");
          if (problems.length > 0) fail(`${method} ${target}`, observed, problems);
        },
      ),
      { seed: SEED + 2, numRuns: runs(24) },
    );
  });

  it(
    "429 rate_limited, documented with its headers, once a user's budget or an account's sign-ins run out",
    async () => {
      const carol = await signUpOver(server, "Carol");
      const target = `/api/${carol.id}/tasks/summary`;
      let limited: Observed | undefined;
      // Windows are fixed: a burst that crosses into the next window starts a new budget, once (ADR 0007).
      for (let i = 0; i <= 2 * API_LIMIT + 5 && !limited; i++) {
        const observed = await send({ method: "GET", path: target, headers: [bearer(carol.token)] });
        const problems = basicProblems("GET", target, observed);
        if (problems.length > 0) fail(`GET ${target} #${i}`, observed, problems);
        if (observed.status === 429) limited = observed;
      }
      expect(limited?.status).toBe(429);
      expect(Number(limited?.headers.get("retry-after"))).toBeLessThanOrEqual(60);

      // Sign-in: a few failures, then the account backs off, whatever the password.
      const signIn = "/api/auth/sign-in/email";
      let backedOff: Observed | undefined;
      for (let i = 0; i < 12 && !backedOff; i++) {
        const observed = await send({
          method: "POST",
          path: signIn,
          headers: [["content-type", "application/json"]],
          body: JSON.stringify({ email: carol.email, password: `wrong password ${i}` }),
        });
        const problems = basicProblems("POST", signIn, observed);
        if (problems.length > 0) fail(`POST ${signIn} #${i}`, observed, problems);
        if (observed.status === 429) backedOff = observed;
      }
      expect(backedOff?.status).toBe(429);
    },
    budget(120_000),
  );
});
