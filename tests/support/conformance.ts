// Requests drawn from the OpenAPI document itself, for the property-based conformance tests (tests/api/conformance
// and tests/http/conformance): each operation's path parameters, query parameters, conditional headers and body come
// from the document's JSON Schemas (tests/support/json-schema-arbitrary.ts), valid or not, aimed at the caller's own
// tasks or at another user's. A model of the caller's tasks, kept from the responses, predicts each status and what a
// success must read back.

import type { Options, ValidateFunction } from "ajv/dist/2020.js";
import fc from "fast-check";
import type { TaskJson } from "@/lib/tasks/schema";
import { type Invalid, invalid, type Schema, type SchemaContext, valid } from "./json-schema-arbitrary.ts";
import { ajv2020, type DocumentChecker, type Json, type Observed } from "./openapi.ts";
import type { TestUser } from "./users.ts";

const DEFAULT_SEED = 20_261_202;

/** The run's seed: FC_SEED, else a fixed one, so CI repeats itself; printed so a failure can be replayed. */
export function fuzzSeed(label: string): number {
  const seed = process.env.FC_SEED === undefined ? DEFAULT_SEED : Number(process.env.FC_SEED);
  if (!Number.isSafeInteger(seed)) throw new Error(`FC_SEED must be an integer, not ${process.env.FC_SEED}`);
  console.log(`${label}: fast-check seed ${seed} (FC_SEED=<n> to change it)`);
  return seed;
}

/** Runs of a property: `n`, scaled by FC_RUNS (e.g. FC_RUNS=5 for a long local hunt). */
export function fuzzRuns(n: number): number {
  return Math.max(1, Math.round(n * Number(process.env.FC_RUNS ?? 1)));
}

/** A request as it goes on the wire: the path already percent-encoded, headers possibly repeated. */
export type WireRequest = {
  method: string;
  path: string;
  headers: [string, string][];
  body?: string | Uint8Array;
};

export type Transport = (request: WireRequest) => Promise<Observed>;

export type OperationSpec = {
  template: string;
  method: string;
  operationId: string;
  parameters: { name: string; in: string; required: boolean; schema: Schema }[];
  body: Schema | undefined;
};

/** Every operation of the document, parameters and JSON body schema resolved. */
export function operationsOf(checker: DocumentChecker): OperationSpec[] {
  const paths = checker.document.paths as Record<string, Record<string, Json>>;
  return Object.entries(paths).flatMap(([template, item]) => {
    const shared = ((item.parameters ?? []) as Json[]).map((parameter) => checker.resolve(parameter));
    return Object.entries(item)
      .filter(([method]) => method !== "parameters")
      .map(([method, operation]) => {
        const own = ((operation.parameters ?? []) as Json[]).map((parameter) => checker.resolve(parameter));
        const requestBody = operation.requestBody as { content?: Record<string, { schema: Schema }> } | undefined;
        return {
          template,
          method: method.toUpperCase(),
          operationId: String(operation.operationId),
          parameters: [...shared, ...own] as OperationSpec["parameters"],
          body: requestBody?.content?.["application/json"]?.schema,
        };
      });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// What a task request is made of, drawn before it is aimed at the model's tasks (so shrinking replays it sensibly).

type Actor = "owner" | "other" | "none" | "garbage" | "malformed";
type Segment = { kind: "self" } | { kind: "other" } | { kind: "value"; value: string };
type TaskRef =
  | { kind: "own"; index: number }
  | { kind: "foreign"; index: number }
  | { kind: "deleted"; index: number }
  | { kind: "value"; value: string; schemaValid: boolean };
type Condition =
  | { kind: "none" | "current" | "stale" | "star" | "huge" | "weak" | "list" }
  | { kind: "value"; value: string };
type QueryValue = { value: string; valid: boolean; prose?: boolean; reason?: string };
type Body =
  | { kind: "valid"; value: unknown }
  | { kind: "invalid"; value: unknown; reason: string; prose?: boolean }
  | { kind: "raw"; reason: "bad-json" | "not-utf8" | "text-plain" | "no-content-type" | "oversized" }
  | { kind: "none" };

export type TaskDraw = {
  operation: OperationSpec;
  actor: Actor;
  user: Segment;
  task: TaskRef;
  query: Record<string, QueryValue>;
  condition: Condition;
  body: Body;
};

const serialize = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));

export class SchemaOracle {
  readonly #ajv = ajv2020({ coerceTypes: true } as Options);
  readonly #plain = ajv2020();
  readonly #context: SchemaContext;
  readonly #cache = new Map<string, ValidateFunction>();

  constructor(document: Json) {
    this.#context = { root: document };
  }

  get context() {
    return this.#context;
  }

  #compile(schema: Schema, coerce: boolean) {
    const key = `${coerce}:${JSON.stringify(schema)}`;
    let validate = this.#cache.get(key);
    if (!validate) {
      // The document's schemas reference each other: compile them with the document's components as `$defs`.
      const components = (this.#context.root.components as Json).schemas as Json;
      const rewritten = JSON.parse(
        JSON.stringify({ ...schema, $defs: components }).replaceAll("#/components/schemas/", "#/$defs/"),
      );
      validate = (coerce ? this.#ajv : this.#plain).compile(rewritten);
      this.#cache.set(key, validate);
    }
    return validate;
  }

  /** Does the schema accept this JSON value? */
  accepts(schema: Schema, value: unknown): boolean {
    return this.#compile(schema, false)(structuredClone(value)) as boolean;
  }

  /** Does the schema accept this query-string value (a string, coerced as a parameter's value is)? */
  acceptsParameter(schema: Schema, value: string): boolean {
    const wrapper = { type: "object", properties: { value: schema } } as Schema;
    return this.#compile(wrapper, true)({ value }) as boolean;
  }
}

/**
 * `arbitrary.filter(keep)`, or undefined when almost nothing passes (a parameter such as `cursor`, any string, has no
 * invalid value on the wire): probed once on a sample, so that no filter can starve a run.
 */
function filtered<T>(arbitrary: fc.Arbitrary<T>, keep: (value: T) => boolean): fc.Arbitrary<T> | undefined {
  const sample = fc.sample(arbitrary, { numRuns: 100, seed: 1 });
  return sample.filter(keep).length >= 10 ? arbitrary.filter(keep) : undefined;
}

function queryArbitrary(
  parameter: OperationSpec["parameters"][number],
  oracle: SchemaOracle,
): fc.Arbitrary<QueryValue | undefined> {
  const validValue = valid(parameter.schema, oracle.context).map((value) => ({ value: serialize(value), valid: true }));
  const invalidValue = filtered(
    invalid(parameter.schema, oracle.context).map((bad: Invalid) => ({
      value: serialize(bad.value),
      valid: false,
      prose: bad.prose,
      reason: bad.reason,
    })),
    (bad) => bad.prose === true || !oracle.acceptsParameter(parameter.schema, bad.value),
  );
  const types = [parameter.schema.type].flat();
  // What a query string holds is text: an integer written otherwise than in decimal digits is refused (the
  // description says so; JSON Schema types the parsed value).
  const wireForms = types.includes("integer")
    ? [
        fc
          .constantFrom("+5", "5.0", "1e1", " 5", "0x10", "")
          .map((value) => ({ value, valid: false, prose: true, reason: "not decimal digits" })),
      ]
    : [];
  const invalids = [...(invalidValue ? [invalidValue] : []), ...wireForms];
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant(undefined) },
    { weight: 3, arbitrary: validValue },
    ...(invalids.length > 0 ? [{ weight: 1, arbitrary: fc.oneof(...invalids) }] : []),
  );
}

function bodyArbitrary(schema: Schema, oracle: SchemaOracle): fc.Arbitrary<Body> {
  return fc.oneof(
    { weight: 6, arbitrary: valid(schema, oracle.context).map((value): Body => ({ kind: "valid", value })) },
    {
      weight: 4,
      arbitrary: (
        filtered(invalid(schema, oracle.context), (bad) => bad.prose === true || !oracle.accepts(schema, bad.value)) ??
        fc.constant({ value: "not an object", reason: "a string" })
      ).map((bad): Body => ({ kind: "invalid", ...bad })),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom("bad-json", "not-utf8", "text-plain", "no-content-type", "oversized")
        .map((reason) => ({ kind: "raw", reason }) as Body),
    },
  );
}

/** Task requests: any task operation of the document, valid or not, by the owner or not. */
export function taskDraws(operations: OperationSpec[], oracle: SchemaOracle): fc.Arbitrary<TaskDraw> {
  const taskOperations = operations.filter(
    (op) => op.template.startsWith("/api/{userId}/tasks") && op.method !== "OPTIONS",
  );
  return fc.constantFrom(...taskOperations).chain((operation) => {
    const byName = new Map(operation.parameters.map((parameter) => [parameter.name, parameter]));
    const userSchema = byName.get("userId")?.schema ?? { type: "string" };
    const taskSchema = byName.get("taskId")?.schema;
    const query: Record<string, fc.Arbitrary<QueryValue | undefined>> = {};
    for (const parameter of operation.parameters.filter((p) => p.in === "query")) {
      query[parameter.name] =
        parameter.name === "cursor"
          ? fc.oneof(
              { weight: 9, arbitrary: fc.constant(undefined) },
              { weight: 1, arbitrary: queryArbitrary(parameter, oracle) },
            )
          : queryArbitrary(parameter, oracle);
    }
    const conditional = operation.parameters.find((p) => p.in === "header");
    return fc.record({
      operation: fc.constant(operation),
      actor: fc.oneof(
        { weight: 14, arbitrary: fc.constant<Actor>("owner") },
        { weight: 2, arbitrary: fc.constant<Actor>("other") },
        { weight: 1, arbitrary: fc.constantFrom<Actor>("none", "garbage", "malformed") },
      ),
      user: fc.oneof(
        { weight: 14, arbitrary: fc.constant<Segment>({ kind: "self" }) },
        { weight: 1, arbitrary: fc.constant<Segment>({ kind: "other" }) },
        {
          weight: 1,
          arbitrary: valid(userSchema, oracle.context).map(
            (value) => ({ kind: "value", value: String(value) }) as Segment,
          ),
        },
      ),
      task: taskSchema
        ? fc.oneof(
            { weight: 10, arbitrary: fc.nat().map((index): TaskRef => ({ kind: "own", index })) },
            { weight: 1, arbitrary: fc.nat().map((index): TaskRef => ({ kind: "foreign", index })) },
            { weight: 1, arbitrary: fc.nat().map((index): TaskRef => ({ kind: "deleted", index })) },
            {
              weight: 1,
              arbitrary: valid(taskSchema, oracle.context).map(
                (value): TaskRef => ({ kind: "value", value: String(value), schemaValid: true }),
              ),
            },
            {
              weight: 1,
              arbitrary: invalid(taskSchema, oracle.context)
                .map((bad) => String(bad.value))
                .filter((value) => value !== "" && value !== "." && value !== ".." && !value.includes("/"))
                .map((value): TaskRef => ({ kind: "value", value, schemaValid: false })),
            },
          )
        : fc.constant<TaskRef>({ kind: "own", index: 0 }),
      query: fc.record(query, { requiredKeys: [] }).map((entries) => {
        const present: Record<string, QueryValue> = {};
        for (const [name, value] of Object.entries(entries)) if (value) present[name] = value;
        return present;
      }),
      condition: conditional
        ? fc.oneof(
            { weight: 4, arbitrary: fc.constant<Condition>({ kind: "none" }) },
            { weight: 3, arbitrary: fc.constant<Condition>({ kind: "current" }) },
            {
              weight: 3,
              arbitrary: fc.constantFrom<Condition>(
                { kind: "stale" },
                { kind: "star" },
                { kind: "huge" },
                { kind: "weak" },
                { kind: "list" },
              ),
            },
            {
              weight: 1,
              arbitrary: valid(conditional.schema, oracle.context)
                // A header value is printable ASCII without white space around it: what is not, becomes `?`.
                .map(
                  (value): Condition => ({
                    kind: "value",
                    value: String(value)
                      .replace(/[^\x21-\x7e\t ]/gu, "?")
                      .trim(),
                  }),
                ),
            },
          )
        : fc.constant<Condition>({ kind: "none" }),
      body: operation.body ? bodyArbitrary(operation.body, oracle) : fc.constant<Body>({ kind: "none" }),
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The model: what the caller's tasks are, from the responses it saw.

export type ModelTask = { json: TaskJson; version: number };

export class TaskModel {
  readonly tasks = new Map<string, ModelTask>();
  readonly deleted: string[] = [];

  ids(): string[] {
    return [...this.tasks.keys()];
  }

  put(json: TaskJson, etag: string | null): void {
    this.tasks.set(json.id, { json, version: Number(etag?.replaceAll('"', "")) });
  }

  remove(id: string): void {
    this.tasks.delete(id);
    this.deleted.push(id);
  }
}

export type World = {
  owner: TestUser;
  other: TestUser;
  model: TaskModel;
  /** The other user's task ids: never the owner's to see or change. */
  foreign: string[];
};

function conditionHeader(condition: Condition, version: number | undefined): string | undefined {
  const v = version ?? 1;
  switch (condition.kind) {
    case "none":
      return undefined;
    case "current":
      return `"${v}"`;
    case "stale":
      return v > 1 ? `"${v - 1}"` : `"${v + 5}"`;
    case "star":
      return "*";
    case "huge":
      return '"9999999999"';
    case "weak":
      return `W/"${v}"`;
    case "list":
      return `"${v + 7}", "${v}"`;
    case "value":
      return condition.value;
  }
}

/** Whether `If-Match` (strong comparison) lets a write through; undefined when the oracle cannot tell. */
function ifMatchPasses(condition: Condition): boolean | undefined {
  if (condition.kind === "value") return undefined;
  return ["none", "current", "star", "list"].includes(condition.kind);
}

/** Whether `If-None-Match` (weak comparison) makes a GET a 304. */
function ifNoneMatchHits(condition: Condition): boolean | undefined {
  if (condition.kind === "value") return undefined;
  return ["current", "star", "weak", "list"].includes(condition.kind);
}

const pick = <T>(items: T[], index: number): T | undefined =>
  items.length === 0 ? undefined : items[index % items.length];

const encodeSegment = (value: string) => encodeURIComponent(value);

export type PreparedTaskRequest = {
  wire: WireRequest;
  /** The statuses the oracle allows (one, unless the draw leaves it open). */
  expected: number[];
  taskId: string | undefined;
  ownTask: ModelTask | undefined;
  sentBody: unknown;
  describe: string;
};

const RAW_BODIES: Record<
  Extract<Body, { kind: "raw" }>["reason"],
  { body: string | Uint8Array; type?: string; status: number }
> = {
  "bad-json": { body: '{"title": ', type: "application/json", status: 400 },
  "not-utf8": {
    body: new Uint8Array([0x7b, 0x22, 0x74, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]),
    type: "application/json",
    status: 400,
  },
  "text-plain": { body: '{"title":"x"}', type: "text/plain", status: 415 },
  "no-content-type": { body: '{"title":"x"}', status: 415 },
  oversized: {
    body: JSON.stringify({ title: "x", description: "y".repeat(70 * 1024) }),
    type: "application/json",
    status: 413,
  },
};

/** Aims a draw at the world as it now is, and says what the server must answer. */
export function prepare(draw: TaskDraw, world: World): PreparedTaskRequest {
  const { operation } = draw;
  const token =
    draw.actor === "owner"
      ? world.owner.token
      : draw.actor === "other"
        ? world.other.token
        : draw.actor === "garbage"
          ? "not.a.token"
          : undefined;
  const tokenUser = draw.actor === "owner" ? world.owner.id : draw.actor === "other" ? world.other.id : undefined;
  // The other user's token on the other user's path would change the other user's tasks, which must stay as they
  // were: that pair is aimed at the owner's path instead (a 403).
  const otherPath = draw.user.kind === "other" && draw.actor !== "other";
  const pathUser = draw.user.kind === "value" ? draw.user.value : otherPath ? world.other.id : world.owner.id;

  let taskId: string | undefined;
  let ownTask: ModelTask | undefined;
  if (operation.template.includes("{taskId}")) {
    const ref = draw.task;
    taskId =
      ref.kind === "own"
        ? pick(world.model.ids(), ref.index)
        : ref.kind === "foreign"
          ? pick(world.foreign, ref.index)
          : ref.kind === "deleted"
            ? pick(world.model.deleted, ref.index)
            : ref.value;
    // No such task (yet): an id no task has, the same on every replay.
    taskId ??= "0b9e3a52-5f0e-4a53-9d59-6f1b2a7c8e11";
    ownTask = pathUser === world.owner.id ? world.model.tasks.get(taskId) : undefined;
  }

  const path = operation.template
    .replace("{userId}", () => encodeSegment(pathUser))
    .replace("{taskId}", () => encodeSegment(taskId ?? ""));
  const search = new URLSearchParams(Object.entries(draw.query).map(([name, { value }]) => [name, value])).toString();
  const headers: [string, string][] = [];
  if (draw.actor === "malformed") headers.push(["authorization", "Bearer"]);
  else if (token) headers.push(["authorization", `Bearer ${token}`]);
  const conditionName = operation.parameters.find((p) => p.in === "header")?.name;
  const conditionValue = conditionHeader(draw.condition, ownTask?.version);
  if (conditionName && conditionValue !== undefined) headers.push([conditionName.toLowerCase(), conditionValue]);

  let body: string | Uint8Array | undefined;
  let sentBody: unknown;
  let bodyStatus: number | undefined;
  if (draw.body.kind === "valid" || draw.body.kind === "invalid") {
    sentBody = draw.body.value;
    body = JSON.stringify(draw.body.value);
    headers.push(["content-type", "application/json"]);
    if (draw.body.kind === "invalid") bodyStatus = 422;
  } else if (draw.body.kind === "raw") {
    const raw = RAW_BODIES[draw.body.reason];
    body = raw.body;
    if (raw.type) headers.push(["content-type", raw.type]);
    bodyStatus = raw.status;
  }

  const expected = ((): number[] => {
    if (!tokenUser) return [401];
    if (tokenUser !== pathUser) return [403];
    if (bodyStatus !== undefined) return [bodyStatus];
    const queryValues = Object.entries(draw.query);
    if (queryValues.some(([, value]) => !value.valid)) return [422];
    switch (operation.operationId) {
      case "listTasks":
        return draw.query.cursor ? [400] : [200];
      case "createTask":
        return [201];
      case "getTaskSummary":
        return [200];
      case "getTask": {
        if (!ownTask) return [404];
        const hit = ifNoneMatchHits(draw.condition);
        return hit === undefined ? [200, 304] : hit ? [304] : [200];
      }
      case "replaceTask":
      case "updateTask":
      case "deleteTask": {
        if (!ownTask) return [404];
        const ok = operation.operationId === "deleteTask" ? 204 : 200;
        const passes = ifMatchPasses(draw.condition);
        return passes === undefined ? [ok, 412] : passes ? [ok] : [412];
      }
      default:
        throw new Error(`No oracle for ${operation.operationId}`);
    }
  })();

  return {
    wire: { method: operation.method, path: search ? `${path}?${search}` : path, headers, body },
    expected,
    taskId,
    ownTask,
    sentBody,
    describe: `${operation.method} ${path}${search ? `?${search}` : ""} [${draw.actor}; body ${draw.body.kind}${
      "reason" in draw.body ? ` (${draw.body.reason})` : ""
    }; condition ${draw.condition.kind}${conditionValue ? ` ${conditionValue}` : ""}]`,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Round trips: what a success says must be what was asked, and must read back so.

type Read = (path: string) => Promise<Observed>;

function parse<T>(observed: Observed): T {
  return JSON.parse(observed.body) as T;
}

function expectedFields(operationId: string, sent: Record<string, unknown>, before: TaskJson | undefined) {
  const title = (value: unknown) => (typeof value === "string" ? value.trim() : value);
  if (operationId === "createTask") {
    return { title: title(sent.title), description: sent.description ?? null, completed: sent.completed ?? false };
  }
  if (operationId === "replaceTask")
    return { title: title(sent.title), description: sent.description, completed: sent.completed };
  return {
    title: "title" in sent ? title(sent.title) : before?.title,
    description: "description" in sent ? sent.description : before?.description,
    completed: "completed" in sent ? sent.completed : before?.completed,
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Checks a success against the model and the request, reads it back, and updates the model. Returns problems. */
export async function roundTrip(
  prepared: PreparedTaskRequest,
  draw: TaskDraw,
  observed: Observed,
  world: World,
  read: Read,
): Promise<string[]> {
  const problems: string[] = [];
  const { operationId, template } = draw.operation;
  const userPath = `/api/${encodeSegment(world.owner.id)}/tasks`;
  const etag = observed.headers.get("etag");
  const before = prepared.ownTask?.json;

  if (["createTask", "replaceTask", "updateTask"].includes(operationId)) {
    const task = parse<TaskJson>(observed);
    const fields = expectedFields(operationId, prepared.sentBody as Record<string, unknown>, before);
    const got = { title: task.title, description: task.description, completed: task.completed };
    if (!same(got, fields))
      problems.push(`answered ${JSON.stringify(got)}, was sent ${JSON.stringify(prepared.sentBody)}`);
    if (task.user_id !== world.owner.id) problems.push(`user_id ${task.user_id}`);
    const version = operationId === "createTask" ? 1 : (prepared.ownTask?.version ?? 0) + 1;
    if (etag !== `"${version}"`) problems.push(`ETag ${etag}, expected "${version}"`);
    if (operationId === "createTask") {
      const location = observed.headers.get("location") ?? "";
      if (!location.endsWith(`${userPath}/${task.id}`)) problems.push(`Location ${location}`);
    } else if (before) {
      if (task.created_at !== before.created_at || task.id !== before.id) problems.push("id or created_at changed");
      if (task.updated_at < before.updated_at) problems.push("updated_at went back");
    }
    world.model.put(task, etag);
    const again = await read(`${userPath}/${task.id}`);
    if (again.status !== 200 || again.body !== observed.body) {
      problems.push(`reads back as ${again.status} ${again.body.slice(0, 300)}, not ${observed.body.slice(0, 300)}`);
    }
    if (again.headers.get("etag") !== etag) problems.push(`reads back with ETag ${again.headers.get("etag")}`);
  } else if (operationId === "deleteTask" && prepared.taskId) {
    world.model.remove(prepared.taskId);
    const again = await read(`${userPath}/${prepared.taskId}`);
    if (again.status !== 404) problems.push(`a deleted task reads back as ${again.status}`);
  } else if (operationId === "getTask" && prepared.ownTask) {
    if (observed.status === 200 && !same(parse(observed), prepared.ownTask.json)) {
      problems.push(`reads ${observed.body.slice(0, 300)}, the model has ${JSON.stringify(prepared.ownTask.json)}`);
    }
    if (etag !== `"${prepared.ownTask.version}"`)
      problems.push(`ETag ${etag}, the model has ${prepared.ownTask.version}`);
  } else if (operationId === "getTaskSummary") {
    const counts = parse<{ total: number; active: number; completed: number }>(observed);
    const all = [...world.model.tasks.values()];
    const completed = all.filter((task) => task.json.completed).length;
    const expected = { total: all.length, active: all.length - completed, completed };
    if (!same(counts, expected))
      problems.push(`counts ${JSON.stringify(counts)}, the model has ${JSON.stringify(expected)}`);
  } else if (operationId === "listTasks") {
    problems.push(...checkList(parse<TaskJson[]>(observed), draw, observed, world));
  }
  void template;
  return problems;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function checkList(tasks: TaskJson[], draw: TaskDraw, observed: Observed, world: World): string[] {
  const problems: string[] = [];
  const query = Object.fromEntries(Object.entries(draw.query).map(([name, { value }]) => [name, value]));
  const limit = query.limit === undefined ? 50 : Number(query.limit);
  if (tasks.length > limit) problems.push(`${tasks.length} tasks for limit ${limit}`);
  const since = query.updated_since === undefined ? undefined : Date.parse(query.updated_since);
  const completed = query.completed === undefined ? undefined : query.completed === "true";
  const q = query.q ? query.q.toLowerCase() : undefined;
  const matches = (task: TaskJson) =>
    (completed === undefined || task.completed === completed) &&
    (since === undefined || Date.parse(task.updated_at) >= since) &&
    (q === undefined ||
      `${task.title}`.toLowerCase().includes(q) ||
      `${task.description ?? ""}`.toLowerCase().includes(q));
  for (const task of tasks) {
    const known = world.model.tasks.get(task.id);
    if (!known) problems.push(`lists ${task.id}, which the model does not have`);
    else if (!same(task, known.json))
      problems.push(`lists ${JSON.stringify(task)}, the model has ${JSON.stringify(known.json)}`);
    // Case folding of non-ASCII text is the database's (its locale); only ASCII searches are checked.
    if (!matches(task) && (q === undefined || /^[\x20-\x7e]*$/.test(query.q ?? ""))) {
      problems.push(`lists ${task.id}, which the filters exclude`);
    }
  }
  const sort = query.sort ?? "-created_at";
  const key = sort.replace(/^-/, "") as keyof TaskJson;
  if (key !== "title") {
    const descending = sort.startsWith("-");
    for (let i = 1; i < tasks.length; i++) {
      const [a, b] = [tasks[i - 1] as TaskJson, tasks[i] as TaskJson];
      const order = compare(String(a[key]), String(b[key])) || compare(a.id, b.id);
      if (descending ? order < 0 : order > 0) problems.push(`not in ${sort} order at ${i}`);
    }
  }
  if (!observed.headers.has("link") && query.q === undefined) {
    const expected = [...world.model.tasks.values()].map((task) => task.json).filter(matches);
    if (tasks.length !== expected.length) {
      problems.push(`the last page has ${tasks.length} tasks, the model ${expected.length} that match`);
    }
  }
  return problems;
}
