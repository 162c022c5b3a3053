// Requests drawn from the OpenAPI document itself, for the property-based conformance tests (tests/api/conformance
// and tests/http/conformance): each operation's path parameters, query parameters, conditional headers and body come
// from the document's JSON Schemas (tests/support/json-schema-arbitrary.ts), valid or not, aimed at the caller's own
// tasks or at another user's. A model of the caller's tasks, kept from the responses, predicts each status and what a
// success must read back.

import type { Options, ValidateFunction } from "ajv/dist/2020.js";
import fc from "fast-check";
import type { ChangesPage } from "@/lib/changes/schema";
import type { TaskJson } from "@/lib/tasks/schema";
import { wallClock } from "@/lib/time-zone";
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
/** A query parameter's value; an array goes out as the parameter repeated (`tag=a&tag=b`). */
type QueryValue = { value: string | string[]; valid: boolean; prose?: boolean; reason?: string };
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
  /**
   * How a valid draw is aimed at the world: random UUIDs and tag names would almost never name one of the caller's
   * lists, tasks or tags, so these numbers swap some for real ones (see `aimed`).
   */
  aim: number[];
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

/** A query string carries text: a lone surrogate goes out as U+FFFD (WHATWG URL encoding), so it is no refusal. */
const wireCarries = (bad: Invalid) => !bad.reason.includes("lone surrogate");

function queryArbitrary(
  parameter: OperationSpec["parameters"][number],
  oracle: SchemaOracle,
): fc.Arbitrary<QueryValue | undefined> {
  const types = [parameter.schema.type].flat();
  if (types.includes("array")) return arrayQueryArbitrary(parameter, oracle);
  const validValue = valid(parameter.schema, oracle.context).map((value) => ({ value: serialize(value), valid: true }));
  const invalidValue = filtered(
    invalid(parameter.schema, oracle.context)
      .filter(wireCarries)
      .map((bad: Invalid) => ({
        value: serialize(bad.value),
        valid: false,
        prose: bad.prose,
        reason: bad.reason,
      })),
    (bad) => bad.prose === true || !oracle.acceptsParameter(parameter.schema, bad.value),
  );
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

/**
 * A repeatable parameter (`type: array`, `style: form`, exploded as OpenAPI's default): each item is a value of its
 * own. On the wire every value is text, so an invalid draw is one with too many items or an item the item schema
 * refuses as text (a wrong JSON type, say the number 1.5, is the text "1.5", which may well be a valid item).
 */
function arrayQueryArbitrary(
  parameter: OperationSpec["parameters"][number],
  oracle: SchemaOracle,
): fc.Arbitrary<QueryValue | undefined> {
  const items = (parameter.schema.items ?? {}) as Schema;
  const maxItems = typeof parameter.schema.maxItems === "number" ? parameter.schema.maxItems : Infinity;
  const validValue = valid(parameter.schema, oracle.context).map(
    (values): QueryValue => ({ value: (values as unknown[]).map(serialize), valid: true }),
  );
  const invalidValue = filtered(
    invalid(parameter.schema, oracle.context)
      .filter((bad) => Array.isArray(bad.value) && wireCarries(bad))
      .map(
        (bad): QueryValue => ({
          value: (bad.value as unknown[]).map(serialize),
          valid: false,
          prose: bad.prose,
          reason: bad.reason,
        }),
      ),
    (bad) =>
      bad.value.length > maxItems ||
      (bad.value as string[]).some((item) => !oracle.acceptsParameter(items, item)) ||
      bad.prose === true,
  );
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant(undefined) },
    { weight: 3, arbitrary: validValue },
    ...(invalidValue ? [{ weight: 1, arbitrary: invalidValue }] : []),
  );
}

function bodyArbitrary(schema: Schema, oracle: SchemaOracle): fc.Arbitrary<Body> {
  return fc.oneof(
    { weight: 8, arbitrary: valid(schema, oracle.context).map((value): Body => ({ kind: "valid", value })) },
    {
      weight: 3,
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

/** Task (and settings) requests: any such operation of the document, valid or not, by the owner or not. */
/**
 * The header parameter the model predicts: If-Match or If-None-Match. Idempotency-Key is left out (a drawn key would
 * be reused by unrelated requests); tests/api/idempotency.test.ts tests it.
 */
const isConditionHeader = (parameter: { in: string; name: string }) =>
  parameter.in === "header" && /^If-(None-)?Match$/i.test(parameter.name);

export function taskDraws(operations: OperationSpec[], oracle: SchemaOracle): fc.Arbitrary<TaskDraw> {
  // The batch is left to tests/api/batch.test.ts and the contract test: each of its results is a single route's
  // answer, which this model checks through those routes.
  const taskOperations = operations.filter(
    (op) =>
      ((op.template.startsWith("/api/{userId}/tasks") && op.template !== "/api/{userId}/tasks/batch") ||
        op.template === "/api/{userId}/settings" ||
        op.template === "/api/{userId}/changes") &&
      op.method !== "OPTIONS",
  );
  // Creates outweigh deletes, so that the model keeps tasks for the other operations to work on; the writes,
  // which have the most rules, come up more often than the reads.
  const WEIGHTS: Record<string, number> = { createTask: 3, replaceTask: 2, updateTask: 2, moveTask: 2, listChanges: 2 };
  const weight = (op: OperationSpec) => WEIGHTS[op.operationId] ?? 1;
  const operation = fc.oneof(...taskOperations.map((op) => ({ weight: weight(op), arbitrary: fc.constant(op) })));
  return operation.chain((operation) => {
    const byName = new Map(operation.parameters.map((parameter) => [parameter.name, parameter]));
    const userSchema = byName.get("userId")?.schema ?? { type: "string" };
    const taskSchema = byName.get("taskId")?.schema;
    const query: Record<string, fc.Arbitrary<QueryValue | undefined>> = {};
    for (const parameter of operation.parameters.filter((p) => p.in === "query")) {
      query[parameter.name] =
        parameter.name === "since"
          ? fc.oneof(
              { weight: 1, arbitrary: fc.constant(undefined) },
              {
                weight: 2,
                arbitrary: valid(parameter.schema, oracle.context).map((value) => ({
                  value: serialize(value),
                  valid: true,
                })),
              },
            )
          : parameter.name === "cursor"
            ? fc.oneof(
                { weight: 9, arbitrary: fc.constant(undefined) },
                { weight: 1, arbitrary: queryArbitrary(parameter, oracle) },
              )
            : queryArbitrary(parameter, oracle);
    }
    const conditional = operation.parameters.find(isConditionHeader);
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
            { weight: 14, arbitrary: fc.nat().map((index): TaskRef => ({ kind: "own", index })) },
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
      aim: fc.array(fc.nat(), { minLength: AIMS, maxLength: AIMS }),
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The model: what the caller's tasks, tags and settings are, from the responses it saw.

export type ModelTask = { json: TaskJson; version: number };

/** How many numbers a draw carries to aim itself at the world. */
const AIMS = 10;

/** A name folded as "unique ignoring case" is (NFC, lower case): `Home` and `HOME` are one tag. */
const nameKey = (name: string) => name.normalize("NFC").toLowerCase();

/** Tag names in the order the document promises ("alphabetical"): case- and accent-insensitive. */
const tagOrder = (a: string, b: string) => a.localeCompare(b, "en", { sensitivity: "base" });

export class TaskModel {
  readonly tasks = new Map<string, ModelTask>();
  readonly deleted: string[] = [];
  /** Every tag the user has (tags outlive their tasks), by name key: its first spelling. */
  readonly spellings = new Map<string, string>();
  /** The stored time zone (`/settings`); null until one is set. */
  timeZone: string | null = null;

  ids(): string[] {
    return [...this.tasks.keys()];
  }

  put(json: TaskJson, etag: string | null): void {
    this.tasks.set(json.id, { json, version: Number(etag?.replaceAll('"', "")) });
    for (const name of json.tags) if (!this.spellings.has(nameKey(name))) this.spellings.set(nameKey(name), name);
  }

  remove(id: string): void {
    this.tasks.delete(id);
    this.deleted.push(id);
  }

  /** The names a write of these tags must answer, as a sorted multiset (trimmed, deduplicated, first spelling). */
  tagsFor(sent: string[]): string[] {
    const byKey = new Map<string, string>();
    for (const raw of sent) {
      const name = raw.trim();
      const key = nameKey(name);
      if (!byKey.has(key)) byKey.set(key, this.spellings.get(key) ?? name);
    }
    return [...byKey.values()].sort();
  }

  inList(listId: string | null): TaskJson[] {
    return [...this.tasks.values()].map((task) => task.json).filter((task) => task.list_id === listId);
  }
}

export type World = {
  owner: TestUser;
  other: TestUser;
  model: TaskModel;
  /** The other user's task ids: never the owner's to see or change. */
  foreign: string[];
  /** The owner's lists (made at set-up), and one of the other user's: a list the owner cannot use. */
  lists: string[];
  foreignLists: string[];
  /**
   * A client following the owner's change feed from before the world was made: where it is, and the tasks it holds
   * from applying the events (a caught-up follower holds exactly the model's tasks).
   */
  feed: { next: string; tasks: Map<string, TaskJson>; seen: string[] };
};

/** A follower that starts at `next` (the feed's answer without since, taken before the world's first write). */
export const feedFollower = (next: string): World["feed"] => ({ next, tasks: new Map(), seen: [] });

/** Tasks a world starts with (besides plain ones): in lists, dated or not, timed or not, tagged, of each priority. */
export function seedTasks(lists: string[]): Record<string, unknown>[] {
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  return [
    { title: "Buy milk", tags: ["Home", "errand"] },
    { title: "  Write the report  ", list_id: lists[0], due_date: day(0), due_time: "09:00", priority: "high" },
    { title: "Call Ada", list_id: lists[0], due_date: day(0), priority: "low", tags: ["phone"] },
    { title: "Pay rent", list_id: lists[1], due_date: day(-3), tags: ["home"], priority: "medium" },
    { title: "Dentist", due_date: day(2), due_time: "23:59", tags: ["Health"] },
    { title: "Done already", completed: true, due_date: day(-1), list_id: lists[1], tags: ["errand"] },
  ];
}

/** Rows for the "lists" table: a world needs lists for `list_id` to name (there is no list route to make them). */
export function listRows(userId: string, names: string[]): { sql: string; values: unknown[] }[] {
  return names.map((name, index) => ({
    sql: 'INSERT INTO "lists" (id, name, name_key, position, user_id) VALUES ($1, $2, $3, $4, $5)',
    values: [crypto.randomUUID(), name, nameKey(name), `a${index}`, userId],
  }));
}

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

/**
 * A zone the runtime knows: the document lists the server's zones and says it takes their aliases too, so a name
 * outside the enum (`utc`, `US/Pacific`) is not necessarily refused. Asked of Intl here, as the server asks it.
 */
function runtimeZone(value: unknown): string | undefined {
  if (typeof value !== "string" || value.length === 0 || value.length > 64) return undefined;
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

export type PreparedTaskRequest = {
  wire: WireRequest;
  /** The statuses the oracle allows (one, unless the draw leaves it open). */
  expected: number[];
  taskId: string | undefined;
  ownTask: ModelTask | undefined;
  sentBody: unknown;
  /** The query as sent, by name (a repeated parameter as an array). */
  query: Record<string, string | string[]>;
  /** When the request was prepared (Date.now()): "today" is between this and the answer. */
  sentAt: number;
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

/** A known tag in another guise: another case, white space around it (still a valid name). */
function tagVariant(model: TaskModel, index: number): string | undefined {
  const name = pick([...model.spellings.values()], index);
  if (name === undefined) return undefined;
  const recased = index % 3 === 0 ? name.toUpperCase() : index % 3 === 1 ? name.toLowerCase() : name;
  const variant = index % 2 === 0 && [...recased].length <= 48 ? ` ${recased} ` : recased;
  return nameKey(variant.trim()) === nameKey(name) && [...variant].length <= 50 ? variant : name;
}

/**
 * A valid body or query aimed at the world: `list_id` mostly one of the caller's lists (else another user's, or
 * the drawn UUID), `before`/`after` mostly a task of the list the move goes to (else another of the caller's tasks, the task itself, another user's), some tags ones the user has.
 */
function aimed(
  draw: TaskDraw,
  world: World,
  ownTask: ModelTask | undefined,
): { body: unknown; query: Record<string, QueryValue> } {
  const [listAim = 0, listIndex = 0, neighbourAim = 0, neighbourIndex = 0, tagAim = 0, tagIndex = 0, queryAim = 0] =
    draw.aim;
  const listOf = (drawn: string): string =>
    listAim % 10 < 7
      ? (pick(world.lists, listIndex) ?? drawn)
      : listAim % 10 === 7
        ? (pick(world.foreignLists, listIndex) ?? drawn)
        : drawn;
  const tags = (names: string[]) =>
    names.map((name, i) => ((tagAim + i) % 3 === 0 ? (tagVariant(world.model, tagIndex + i) ?? name) : name));
  let body = draw.body.kind === "valid" ? draw.body.value : undefined;
  if (body && typeof body === "object" && !Array.isArray(body)) {
    const object = { ...(body as Record<string, unknown>) };
    if (typeof object.list_id === "string") object.list_id = listOf(object.list_id);
    if (Array.isArray(object.tags)) object.tags = tags(object.tags as string[]);
    for (const side of ["before", "after"] as const) {
      if (typeof object[side] !== "string") continue;
      const target = object.list_id === undefined ? (ownTask?.json.list_id ?? null) : object.list_id;
      const mode = neighbourAim % 10;
      const others = world.model.ids().filter((id) => id !== ownTask?.json.id);
      const inTarget = world.model.inList(target as string | null).filter((task) => task.id !== ownTask?.json.id);
      object[side] =
        mode < 7
          ? (pick(inTarget, neighbourIndex)?.id ?? object[side])
          : mode < 8
            ? (pick(others, neighbourIndex) ?? object[side])
            : mode === 8
              ? (ownTask?.json.id ?? object[side])
              : (pick(world.foreign, neighbourIndex) ?? object[side]);
    }
    body = object;
  }
  const query = { ...draw.query };
  const listId = query.list_id;
  if (listId?.valid && listId.value !== "inbox") {
    const mode = queryAim % 4;
    query.list_id = {
      ...listId,
      value: mode < 2 ? (pick(world.lists, queryAim) ?? listId.value) : mode === 2 ? "inbox" : listId.value,
    };
  }
  const tag = query.tag;
  if (tag?.valid && Array.isArray(tag.value)) query.tag = { ...tag, value: tags(tag.value) };
  const since = query.since;
  if (since?.valid) {
    const sinceAim = draw.aim[7] ?? 0;
    const mode = sinceAim % 10;
    // Mostly the follower's own position; else the start, a token ahead of the feed, one seen before, or the draw.
    const value =
      mode < 4
        ? world.feed.next
        : mode === 4
          ? "0"
          : mode === 5
            ? FUTURE_TOKEN
            : mode === 6
              ? (pick(world.feed.seen, sinceAim) ?? "0")
              : since.value;
    query.since = { ...since, value };
  }
  return { body, query };
}

/** A token far ahead of any feed here: a 410. */
const FUTURE_TOKEN = "999999999999999";
/** What the feed gives out as a token (lib/changes/token.ts): anything else is a 400. */
const FEED_TOKEN = /^(0|[1-9][0-9]{0,17})$/;

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
  const aim = aimed(draw, world, ownTask);

  const path = operation.template
    .replace("{userId}", () => encodeSegment(pathUser))
    .replace("{taskId}", () => encodeSegment(taskId ?? ""));
  const query: Record<string, string | string[]> = {};
  for (const [name, { value }] of Object.entries(aim.query)) query[name] = value;
  const search = new URLSearchParams(
    Object.entries(query).flatMap(([name, value]) => [value].flat().map((item): [string, string] => [name, item])),
  ).toString();
  const headers: [string, string][] = [];
  if (draw.actor === "malformed") headers.push(["authorization", "Bearer"]);
  else if (token) headers.push(["authorization", `Bearer ${token}`]);
  const conditionName = operation.parameters.find(isConditionHeader)?.name;
  const conditionValue = conditionHeader(draw.condition, ownTask?.version);
  if (conditionName && conditionValue !== undefined) headers.push([conditionName.toLowerCase(), conditionValue]);

  let body: string | Uint8Array | undefined;
  let sentBody: unknown;
  let bodyStatus: number | undefined;
  if (draw.body.kind === "valid" || draw.body.kind === "invalid") {
    sentBody = draw.body.kind === "valid" ? aim.body : draw.body.value;
    body = JSON.stringify(sentBody);
    headers.push(["content-type", "application/json"]);
    if (draw.body.kind === "invalid") bodyStatus = 422;
    // A time zone outside the document's list that the runtime knows (an alias) is taken: the description says so.
    const zone = (sentBody as { time_zone?: unknown } | null)?.time_zone;
    const onlyZone = sentBody && typeof sentBody === "object" && Object.keys(sentBody).join() === "time_zone";
    if (draw.body.kind === "invalid" && onlyZone && runtimeZone(zone)) bodyStatus = undefined;
  } else if (draw.body.kind === "raw") {
    const raw = RAW_BODIES[draw.body.reason];
    body = raw.body;
    if (raw.type) headers.push(["content-type", raw.type]);
    bodyStatus = raw.status;
  }
  const fields = (sentBody ?? {}) as Record<string, unknown>;
  const ownList = (id: unknown) => id === undefined || id === null || world.lists.includes(String(id).toLowerCase());

  const expected = ((): number[] => {
    if (!tokenUser) return [401];
    if (tokenUser !== pathUser) return [403];
    if (bodyStatus !== undefined) return [bodyStatus];
    const queryRefused = Object.entries(aim.query).some(
      ([name, value]) => !value.valid && !(name === "tz" && runtimeZone(value.value)),
    );
    if (queryRefused) return [422];
    /** A write the row takes: 422 when the database refuses what it holds, else `ok`. */
    const write = (ok: number, refused: boolean): number[] => {
      if (!ownTask) return [404];
      const passes = ifMatchPasses(draw.condition);
      const outcome = refused ? 422 : ok;
      return passes === undefined ? [outcome, 412] : passes ? [outcome] : [412];
    };
    switch (operation.operationId) {
      case "listChanges": {
        const since = aim.query.since?.value as string | undefined;
        if (since === undefined) return [200];
        if (!FEED_TOKEN.test(since)) return [400];
        if (since === FUTURE_TOKEN) return [410];
        // Nothing is pruned here, so a token of the feed is a 200; a drawn number may be ahead of it.
        return since === world.feed.next || since === "0" || world.feed.seen.includes(since) ? [200] : [200, 410];
      }
      case "listTasks":
        return draw.query.cursor ? [400] : [200];
      case "createTask":
        return ownList(fields.list_id) ? [201] : [422];
      case "getTaskSummary":
      case "getSettings":
      case "updateSettings":
        return [200];
      case "getTask": {
        if (!ownTask) return [404];
        const hit = ifNoneMatchHits(draw.condition);
        return hit === undefined ? [200, 304] : hit ? [304] : [200];
      }
      case "replaceTask":
        return write(200, !ownList(fields.list_id));
      case "updateTask": {
        // A time on a task that has no date (and gets none) is the database's refusal, after the row matched.
        const undated = typeof fields.due_time === "string" && fields.due_date === undefined && !ownTask?.json.due_date;
        return write(200, !ownList(fields.list_id) || undated);
      }
      case "deleteTask":
        return write(204, false);
      case "moveTask": {
        // The target list is the body's, or the task's own (looked up first: 404 for a task that is none of yours,
        // as for an id that is no UUID).
        const uuid = draw.task.kind !== "value" || draw.task.schemaValid;
        if ((fields.list_id === undefined || !uuid) && !ownTask) return [404];
        const target = fields.list_id === undefined ? (ownTask?.json.list_id ?? null) : fields.list_id;
        // The neighbour is looked up before the task is written, so a bad one is a 422 even for a missing task.
        const neighbour = (fields.before ?? fields.after) as string | undefined;
        if (neighbour !== undefined) {
          const task = world.model.tasks.get(neighbour.toLowerCase());
          if (neighbour.toLowerCase() === taskId?.toLowerCase() || !task || task.json.list_id !== target) return [422];
        }
        return write(200, !ownList(target));
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
    query,
    sentAt: Date.now(),
    describe: `${operation.method} ${path}${search ? `?${search}` : ""} [${draw.actor}; body ${draw.body.kind}${
      "reason" in draw.body ? ` (${draw.body.reason})` : ""
    }${sentBody === undefined ? "" : ` ${JSON.stringify(sentBody).slice(0, 300)}`}; condition ${draw.condition.kind}${
      conditionValue ? ` ${conditionValue}` : ""
    }]`,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Round trips: what a success says must be what was asked, and must read back so.

type Read = (path: string) => Promise<Observed>;

function parse<T>(observed: Observed): T {
  return JSON.parse(observed.body) as T;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** What a written task must hold, but for its tags (a multiset, checked apart) and what the server stamps. */
function expectedTask(operationId: string, sent: Record<string, unknown>, before: TaskJson | undefined) {
  const trimmed = (value: unknown) => (typeof value === "string" ? value.trim() : value);
  const defaults = {
    description: null,
    completed: false,
    list_id: null,
    due_date: null,
    due_time: null,
    priority: "none",
  };
  const start = operationId === "updateTask" && before ? before : defaults;
  const next: Record<string, unknown> = {
    title: trimmed("title" in sent ? sent.title : before?.title),
    description: start.description,
    completed: start.completed,
    list_id: start.list_id,
    due_date: start.due_date,
    due_time: start.due_time,
    priority: start.priority,
  };
  for (const field of ["description", "completed", "list_id", "due_date", "due_time", "priority"]) {
    if (field in sent) next[field] = sent[field];
  }
  // Clearing the date clears the time with it.
  if (sent.due_date === null) next.due_time = null;
  if (typeof next.list_id === "string") next.list_id = next.list_id.toLowerCase();
  return next;
}

type Clock = { date: string; time: string };

/** The wall clock in a zone at an instant: what "today" is there, and the time (HH:MM), as the server reads it. */
const wallClockAt = (timeZone: string, instant: number): Clock => wallClock(timeZone, new Date(instant));

function daysAfter(date: string, days: number): string {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + days);
  return next.toISOString().slice(0, 10);
}

/** The clocks a request may have been answered by: when it was sent and when its answer came (midnight between). */
function clocks(timeZone: string, sentAt: number, answeredAt: number): Clock[] {
  const [a, b] = [wallClockAt(timeZone, sentAt), wallClockAt(timeZone, answeredAt)];
  return same(a, b) ? [a] : [a, b];
}

const VIEWS = ["today", "upcoming", "overdue"] as const;
/** `view=upcoming`: today and the 6 days after it (the parameter's description). */
const UPCOMING_DAYS = 7;

function inView(view: string, task: TaskJson, clock: Clock): boolean {
  if (task.completed || task.due_date === null) return false;
  switch (view) {
    case "today":
      return task.due_date <= clock.date;
    case "upcoming":
      return task.due_date >= clock.date && task.due_date <= daysAfter(clock.date, UPCOMING_DAYS - 1);
    case "overdue":
      return (
        task.due_date < clock.date ||
        (task.due_date === clock.date && task.due_time !== null && task.due_time < clock.time)
      );
    default:
      throw new Error(`No such view ${view}`);
  }
}

/** Checks a success against the model and the request, reads it back, and updates the model. Returns problems. */
export async function roundTrip(
  prepared: PreparedTaskRequest,
  draw: TaskDraw,
  observed: Observed,
  world: World,
  read: Read,
): Promise<string[]> {
  const problems: string[] = [];
  const { operationId } = draw.operation;
  const answeredAt = Date.now();
  const userPath = `/api/${encodeSegment(world.owner.id)}/tasks`;
  const etag = observed.headers.get("etag");
  const before = prepared.ownTask?.json;
  const sent = (prepared.sentBody ?? {}) as Record<string, unknown>;
  const { model } = world;

  if (["createTask", "replaceTask", "updateTask", "moveTask"].includes(operationId)) {
    const task = parse<TaskJson>(observed);
    const version = operationId === "createTask" ? 1 : (prepared.ownTask?.version ?? 0) + 1;
    if (etag !== `"${version}"` || task.version !== version) {
      problems.push(`ETag ${etag} and version ${task.version}, expected ${version}`);
    }
    if (task.user_id !== world.owner.id) problems.push(`user_id ${task.user_id}`);
    if (before && (task.created_at !== before.created_at || task.id !== before.id))
      problems.push("id or created_at changed");
    if (before && task.updated_at < before.updated_at) problems.push("updated_at went back");
    const others = [...model.tasks.values()]
      .map((t) => t.json)
      .filter((t) => t.id !== task.id && t.list_id === task.list_id);
    if (operationId === "moveTask" && before) {
      // Only its place (and list) changed.
      const target = sent.list_id === undefined ? before.list_id : (sent.list_id as string | null);
      const { position: _p, list_id: _l, version: _v, updated_at: _u, ...rest } = task;
      const { position: _bp, list_id: _bl, version: _bv, updated_at: _bu, ...restBefore } = before;
      if (!same(rest, restBefore)) problems.push(`a move changed more than the place: ${JSON.stringify(rest)}`);
      if (task.list_id !== (typeof target === "string" ? target.toLowerCase() : target)) {
        problems.push(`moved to list ${task.list_id}, not ${target}`);
      }
      // In manual order, the task is now just before or after its neighbour, or first in the list. Between them
      // there may only be tasks whose position equals the neighbour's: two tasks created at once in one list can
      // share a key (ties go by id), and the move route places the task beyond the neighbour's key, past its ties
      // (docs/decisions/0014).
      const order = [...others, task].sort((a, b) => compare(a.position, b.position) || compare(a.id, b.id));
      const at = order.findIndex((t) => t.id === task.id);
      const neighbour = (sent.before ?? sent.after) as string | undefined;
      const next = neighbour === undefined ? -1 : order.findIndex((t) => t.id === neighbour.toLowerCase());
      const between = next < 0 ? [] : order.slice(Math.min(at, next) + 1, Math.max(at, next));
      const placed =
        neighbour === undefined
          ? at === 0
          : (sent.before !== undefined ? at < next : at > next) &&
            between.every((t) => t.position === order[next]?.position);
      const expectedAt = neighbour === undefined ? 0 : next + (sent.before !== undefined ? -1 : 1);
      if (!placed) {
        problems.push(
          `moved to place ${at} of its list, not ${expectedAt}: ${order.map((t) => `${t.id.slice(0, 8)}@${t.position}`).join(" ")}`,
        );
      }
    } else {
      const fields = expectedTask(operationId, sent, before);
      const got = Object.fromEntries(Object.keys(fields).map((name) => [name, task[name as keyof TaskJson]]));
      if (!same(got, fields)) problems.push(`answered ${JSON.stringify(got)}, expected ${JSON.stringify(fields)}`);
      const tags = Array.isArray(sent.tags)
        ? model.tagsFor(sent.tags as string[])
        : operationId === "updateTask"
          ? [...(before?.tags ?? [])].sort()
          : [];
      if (!same([...task.tags].sort(), tags))
        problems.push(`tags ${JSON.stringify(task.tags)}, expected ${JSON.stringify(tags)}`);
      if (task.tags.some((name, i) => i > 0 && tagOrder(task.tags[i - 1] as string, name) > 0)) {
        problems.push(`tags not in alphabetical order: ${JSON.stringify(task.tags)}`);
      }
      // A new task, and one a replace or an update puts in another list, goes to the top of that list; otherwise a
      // replace or an update keeps the task's place.
      if (operationId === "createTask" || (before && before.list_id !== task.list_id)) {
        const location = observed.headers.get("location") ?? "";
        if (operationId === "createTask" && !location.endsWith(`${userPath}/${task.id}`)) {
          problems.push(`Location ${location}`);
        }
        if (others.some((t) => compare(t.position, task.position) <= 0))
          problems.push(`position ${task.position} is not the top of its list`);
      } else if (before && task.position !== before.position) {
        problems.push(`position ${before.position} became ${task.position}`);
      }
    }
    model.put(task, etag);
    const again = await read(`${userPath}/${task.id}`);
    if (again.status !== 200 || again.body !== observed.body) {
      problems.push(`reads back as ${again.status} ${again.body.slice(0, 300)}, not ${observed.body.slice(0, 300)}`);
    }
    if (again.headers.get("etag") !== etag) problems.push(`reads back with ETag ${again.headers.get("etag")}`);
  } else if (operationId === "deleteTask" && prepared.taskId) {
    model.remove(prepared.taskId);
    const again = await read(`${userPath}/${prepared.taskId}`);
    if (again.status !== 404) problems.push(`a deleted task reads back as ${again.status}`);
  } else if (operationId === "getTask" && prepared.ownTask) {
    if (observed.status === 200 && !same(parse(observed), prepared.ownTask.json)) {
      problems.push(`reads ${observed.body.slice(0, 300)}, the model has ${JSON.stringify(prepared.ownTask.json)}`);
    }
    if (etag !== `"${prepared.ownTask.version}"`)
      problems.push(`ETag ${etag}, the model has ${prepared.ownTask.version}`);
  } else if (operationId === "getSettings") {
    if (!same(parse(observed), { time_zone: model.timeZone })) {
      problems.push(`settings ${observed.body}, the model has time_zone ${model.timeZone}`);
    }
  } else if (operationId === "updateSettings") {
    const zone = sent.time_zone === null ? null : (runtimeZone(sent.time_zone) ?? null);
    if (!same(parse(observed), { time_zone: zone }))
      problems.push(`settings ${observed.body}, expected time_zone ${zone}`);
    model.timeZone = parse<{ time_zone: string | null }>(observed).time_zone;
    const again = await read(`/api/${encodeSegment(world.owner.id)}/settings`);
    if (again.body !== observed.body) problems.push(`settings read back as ${again.body}`);
  } else if (operationId === "getTaskSummary") {
    problems.push(...checkSummary(parse(observed), prepared, world, answeredAt));
  } else if (operationId === "listChanges") {
    problems.push(...checkChanges(parse<ChangesPage>(observed), prepared, world));
  } else if (operationId === "listTasks") {
    problems.push(...checkList(parse<TaskJson[]>(observed), prepared, observed, world, answeredAt));
  }
  return problems;
}

/** The zone a request's views are computed in: its `tz`, else the user's, else UTC. */
const zoneOf = (prepared: PreparedTaskRequest, world: World) =>
  runtimeZone(prepared.query.tz) ?? world.model.timeZone ?? "UTC";

type Summary = {
  total: number;
  active: number;
  completed: number;
  inbox: number;
  views: Record<string, number>;
  lists: Record<string, number>;
  tags: Record<string, number>;
};

function checkSummary(summary: Summary, prepared: PreparedTaskRequest, world: World, answeredAt: number): string[] {
  const all = [...world.model.tasks.values()].map((task) => task.json);
  const open = all.filter((task) => !task.completed);
  // A Map, not an object: a tag may well be called "constructor".
  const countBy = (keys: (string | null)[]) => {
    const counts = new Map<string, number>();
    for (const key of keys) if (key !== null) counts.set(key, (counts.get(key) ?? 0) + 1);
    return Object.fromEntries(counts);
  };
  const expectations = clocks(zoneOf(prepared, world), prepared.sentAt, answeredAt).map((clock) => ({
    total: all.length,
    active: open.length,
    completed: all.length - open.length,
    inbox: open.filter((task) => task.list_id === null).length,
    views: Object.fromEntries(VIEWS.map((view) => [view, all.filter((task) => inView(view, task, clock)).length])),
    lists: countBy(open.map((task) => task.list_id)),
  }));
  const { tags, ...rest } = summary;
  const sortKeys = (counts: Record<string, number>) => Object.fromEntries(Object.entries(counts).sort());
  const got = { ...rest, lists: sortKeys(rest.lists), views: { ...rest.views } };
  const problems: string[] = [];
  if (!expectations.some((expected) => same(got, { ...expected, lists: sortKeys(expected.lists) }))) {
    problems.push(`counts ${JSON.stringify(got)}, the model has ${JSON.stringify(expectations)}`);
  }
  // Tags are counted by id, which the model does not see: the counts, as a multiset, must be the model's per name.
  const names = new Map<string, number>();
  for (const key of open.flatMap((task) => task.tags.map(nameKey))) names.set(key, (names.get(key) ?? 0) + 1);
  const byName = [...names.values()].sort();
  if (!same(Object.values(tags).sort(), byName)) {
    problems.push(`tag counts ${JSON.stringify(tags)}, the model has ${JSON.stringify(byName)} (per tag, by name)`);
  }
  return problems;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const PRIORITY_RANK = ["none", "low", "medium", "high"];

/**
 * The order a sort promises, ties broken by id in its direction (undefined for `title`: the database's collation).
 * `due_date`: by date, then time with an all-day task after the timed ones of its day, in the direction; tasks
 * without a date last in both directions, by id in the direction.
 */
function orderOf(sort: string): ((a: TaskJson, b: TaskJson) => number) | undefined {
  const descending = sort.startsWith("-");
  const key = sort.replace(/^-/, "");
  const direct = (order: number) => (descending ? -order : order);
  switch (key) {
    case "title":
      return undefined;
    case "priority":
      return (a, b) =>
        direct(PRIORITY_RANK.indexOf(a.priority) - PRIORITY_RANK.indexOf(b.priority) || compare(a.id, b.id));
    case "due_date":
      return (a, b) => {
        if (a.due_date === null || b.due_date === null) {
          if (a.due_date !== b.due_date) return a.due_date === null ? 1 : -1;
          return direct(compare(a.id, b.id));
        }
        return direct(
          compare(a.due_date, b.due_date) ||
            compare(a.due_time ?? "99:99", b.due_time ?? "99:99") ||
            compare(a.id, b.id),
        );
      };
    default:
      return (a, b) =>
        direct(compare(String(a[key as keyof TaskJson]), String(b[key as keyof TaskJson])) || compare(a.id, b.id));
  }
}

function checkList(
  tasks: TaskJson[],
  prepared: PreparedTaskRequest,
  observed: Observed,
  world: World,
  answeredAt: number,
): string[] {
  const problems: string[] = [];
  const query = prepared.query as Record<string, string | undefined> & { tag?: string[] };
  const limit = query.limit === undefined ? 50 : Number(query.limit);
  if (tasks.length > limit) problems.push(`${tasks.length} tasks for limit ${limit}`);
  const since = query.updated_since === undefined ? undefined : Date.parse(query.updated_since);
  const completed = query.completed === undefined ? undefined : query.completed === "true";
  const q = query.q ? query.q.toLowerCase() : undefined;
  const listId = query.list_id?.toLowerCase();
  const tagKeys = (query.tag ?? []).map((tag) => nameKey(tag.trim()));
  const matches = (task: TaskJson, clock: Clock) =>
    (completed === undefined || task.completed === completed) &&
    (since === undefined || Date.parse(task.updated_at) >= since) &&
    (q === undefined ||
      `${task.title}`.toLowerCase().includes(q) ||
      `${task.description ?? ""}`.toLowerCase().includes(q)) &&
    (listId === undefined || task.list_id === (listId === "inbox" ? null : listId)) &&
    tagKeys.every((key) => task.tags.some((name) => nameKey(name) === key)) &&
    (query.priority === undefined || task.priority === query.priority) &&
    (query.due_after === undefined || (task.due_date !== null && task.due_date >= query.due_after)) &&
    (query.due_before === undefined || (task.due_date !== null && task.due_date <= query.due_before)) &&
    (query.view === undefined || inView(query.view, task, clock));
  const zoneClocks = clocks(zoneOf(prepared, world), prepared.sentAt, answeredAt);
  // Case folding of non-ASCII text is the database's (its locale); only ASCII searches are checked.
  const searchChecked = q === undefined || /^[\x20-\x7e]*$/.test(query.q ?? "");
  for (const task of tasks) {
    const known = world.model.tasks.get(task.id);
    if (!known) problems.push(`lists ${task.id}, which the model does not have`);
    else if (!same(task, known.json))
      problems.push(`lists ${JSON.stringify(task)}, the model has ${JSON.stringify(known.json)}`);
    if (!zoneClocks.some((clock) => matches(task, clock)) && searchChecked) {
      problems.push(`lists ${JSON.stringify(task)}, which the filters exclude`);
    }
  }
  const sort = query.sort ?? (query.view ? "due_date" : "-created_at");
  const order = orderOf(sort);
  if (order) {
    for (let i = 1; i < tasks.length; i++) {
      if (order(tasks[i - 1] as TaskJson, tasks[i] as TaskJson) > 0) problems.push(`not in ${sort} order at ${i}`);
    }
  }
  if (q === undefined) {
    // The first page is the model's matching tasks, in order, up to the limit; a Link exactly when more follow.
    const pages = zoneClocks.map((clock) => {
      const all = [...world.model.tasks.values()].map((task) => task.json).filter((task) => matches(task, clock));
      if (order) all.sort(order);
      return all;
    });
    const fits = pages.some((page) => {
      const ids = tasks.map((task) => task.id);
      const expectedIds = page.map((task) => task.id).slice(0, limit);
      const content = order ? same(ids, expectedIds) : same([...ids].sort(), [...expectedIds].sort());
      return content && observed.headers.has("link") === page.length > limit;
    });
    if (!fits) {
      problems.push(
        `the page has ${tasks.length} tasks (Link: ${observed.headers.has("link")}), the model ${pages.map((page) => page.length).join(" or ")} that match: ${pages[0]?.map((t) => t.id.slice(0, 8)).join(" ")}`,
      );
    }
  }
  return problems;
}

/**
 * A page of the feed: at most `limit` events, numbered one after another from `since` (the feed has no gaps), and
 * `next` after the last. The follower's own page is applied; once it is caught up, it holds exactly the model's tasks.
 */
function checkChanges(page: ChangesPage, prepared: PreparedTaskRequest, world: World): string[] {
  const problems: string[] = [];
  const since = prepared.query.since as string | undefined;
  const limit = prepared.query.limit === undefined ? 50 : Number(prepared.query.limit);
  if (since === undefined) {
    if (page.events.length > 0) problems.push("events without since");
    if (!FEED_TOKEN.test(page.next) || BigInt(page.next) < BigInt(world.feed.next)) {
      problems.push(`next ${page.next} for now, behind the follower at ${world.feed.next}`);
    }
    return problems;
  }
  if (page.events.length > limit) problems.push(`${page.events.length} events for limit ${limit}`);
  const ids = page.events.map((event) => event.event_id);
  const expected = ids.map((_, index) => String(BigInt(since) + BigInt(index) + 1n));
  if (!same(ids, expected)) problems.push(`event ids ${ids.join(" ")} after ${since}, not ${expected.join(" ")}`);
  if (page.next !== (ids.at(-1) ?? since)) problems.push(`next ${page.next} after ${ids.at(-1) ?? since}`);
  if (since !== world.feed.next) return problems;
  for (const event of page.events) {
    if (event.type === "task.upserted") world.feed.tasks.set(event.id, event.data);
    if (event.type === "task.deleted") world.feed.tasks.delete(event.id);
  }
  world.feed.seen.push(...ids);
  world.feed.next = page.next;
  if (page.events.length < limit) {
    const byId = (tasks: Iterable<TaskJson>) => [...tasks].sort((a, b) => compare(a.id, b.id));
    const mirrored = byId(world.feed.tasks.values());
    const modelled = byId([...world.model.tasks.values()].map((task) => task.json));
    if (!same(mirrored, modelled)) {
      problems.push(
        `the caught-up feed holds ${mirrored.length} tasks, the model ${modelled.length}: ${JSON.stringify(mirrored).slice(0, 400)}`,
      );
    }
  }
  return problems;
}
