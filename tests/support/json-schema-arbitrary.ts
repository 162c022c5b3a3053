// JSON Schema → fast-check arbitraries, for the subset of JSON Schema 2020-12 the OpenAPI document uses in its
// requests: `$ref`, `type` (one or a list), `enum`, `const`, `anyOf`, `properties`/`required`/
// `additionalProperties: false`/`minProperties`, `if`/`then` and `not` on objects (over `required`, `properties`,
// `type`), `items`/`minItems`/`maxItems`, `minLength`/`maxLength`/`pattern`/`format` (uuid, date, date-time, email),
// `minimum`/`maximum`. A keyword outside the subset throws, so a document that grows a rule this converter does not
// know fails loudly instead of being fuzzed as if the rule were not there.
//
// `valid(schema)` draws values the schema accepts; `invalid(schema)` draws values it refuses, each with the reason.
// Both are checked against the document with Ajv by the caller, so a converter bug cannot pass as a server bug.
// Rules the document can only state in prose are honoured too: no lone surrogates in valid strings, and for
// `updated_since` the year range (valid values stay inside it; out-of-range ones are drawn as invalid).
import fc from "fast-check";

export type Schema = { [keyword: string]: unknown };

/** What the converter knows of the document: `$ref`s are resolved against it. */
export type SchemaContext = { root: Schema };

export type Invalid = {
  value: unknown;
  reason: string /** True when only the prose says it is refused. */;
  prose?: boolean;
};

const ANNOTATIONS = new Set(["description", "examples", "default", "title", "deprecated", "readOnly", "writeOnly"]);
const KNOWN = new Set([
  "$ref",
  "type",
  "enum",
  "const",
  "anyOf",
  "properties",
  "required",
  "additionalProperties",
  "minProperties",
  "items",
  "minItems",
  "maxItems",
  "if",
  "then",
  "not",
  "minLength",
  "maxLength",
  "pattern",
  "format",
  "minimum",
  "maximum",
  ...ANNOTATIONS,
]);

/** The characters `String.prototype.trim()` removes, for drawing titles with white space around them. */
const WHITE_SPACE = [..."\t\n\v\f\r \u00a0\u1680\u2000\u2005\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"];

/** One code point (never a lone surrogate): ASCII, white space, any plane, or emoji-range astral characters. */
const codePoint: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.constantFrom(...WHITE_SPACE) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme-composite", minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0x1f300, max: 0x1faff }).map((cp) => String.fromCodePoint(cp)) },
);

const plainCodePoint = fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.é€😀");

const codePoints = (s: string) => [...s].length;

function resolve(schema: Schema, context: SchemaContext): Schema {
  let current = schema;
  for (let depth = 0; typeof current.$ref === "string"; depth++) {
    if (depth > 20) throw new Error(`$ref loop at ${String(current.$ref)}`);
    const path = current.$ref.replace(/^#\//, "").split("/");
    let target: unknown = context.root;
    for (const key of path) target = (target as Record<string, unknown>)?.[key];
    if (!target || typeof target !== "object") throw new Error(`Unresolvable $ref ${current.$ref}`);
    const { $ref: _ref, ...siblings } = current;
    current = { ...(target as Schema), ...siblings };
  }
  for (const keyword of Object.keys(current)) {
    if (!KNOWN.has(keyword)) throw new Error(`The fuzzer does not know the keyword "${keyword}"; teach it`);
  }
  return current;
}

function types(schema: Schema): string[] {
  if (schema.type === undefined) return [];
  return Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
}

function regexOf(schema: Schema): RegExp | undefined {
  return typeof schema.pattern === "string" ? new RegExp(schema.pattern, "u") : undefined;
}

function satisfiesString(schema: Schema, value: string): boolean {
  const length = codePoints(value);
  if (typeof schema.minLength === "number" && length < schema.minLength) return false;
  if (typeof schema.maxLength === "number" && length > schema.maxLength) return false;
  const regex = regexOf(schema);
  return !regex || regex.test(value);
}

// Years 0002–9998 keep any offset inside 0001–9999, the range the `updated_since` description states.
const pad = (n: number, width = 2) => String(n).padStart(width, "0");
const dateTime = fc
  .record({
    year: fc.integer({ min: 2, max: 9998 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 28 }),
    hour: fc.integer({ min: 0, max: 23 }),
    minute: fc.integer({ min: 0, max: 59 }),
    second: fc.integer({ min: 0, max: 59 }),
    fraction: fc.option(fc.stringMatching(/^\d{1,9}$/), { nil: undefined }),
    zone: fc.oneof(
      fc.constant("Z"),
      fc
        .record({
          sign: fc.constantFrom("+", "-"),
          h: fc.integer({ min: 0, max: 23 }),
          m: fc.integer({ min: 0, max: 59 }),
        })
        .map(({ sign, h, m }) => `${sign}${pad(h)}:${pad(m)}`),
    ),
  })
  .map(
    ({ year, month, day, hour, minute, second, fraction, zone }) =>
      `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}` +
      `${fraction === undefined ? "" : `.${fraction}`}${zone}`,
  );

/** Date-times the format allows but the prose range refuses: once the offset is applied, year 0 or year 10000. */
const outOfRangeDateTime = fc.constantFrom(
  "0001-01-01T00:00:00+00:01",
  "0000-06-01T12:00:00Z",
  "9999-12-31T23:59:59-00:01",
  "9999-12-31T23:30:00.000-01:00",
);

/** A real calendar date, `YYYY-MM-DD`, in years 0001–9999. */
const calendarDate = (from: number, to: number) =>
  fc.integer({ min: from, max: to }).map((day) => {
    const date = new Date(0);
    date.setUTCFullYear(1, 0, 1);
    date.setUTCDate(date.getUTCDate() + day);
    return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
  });
const DAY_MS = 86_400_000;
const dayNumber = (iso: string) => {
  const date = new Date(`2000-${iso.slice(5)}T00:00:00Z`);
  date.setUTCFullYear(Number(iso.slice(0, 4)));
  const origin = new Date(0);
  origin.setUTCFullYear(1, 0, 1);
  return Math.round((date.getTime() - origin.getTime()) / DAY_MS);
};
const LAST_DAY = dayNumber("9999-12-31");
/**
 * Dates, mostly near today (so that views such as "today" and "overdue" have something to find, on either side of
 * midnight in any zone), else any day of years 0001–9999, and the ends of that range and a leap day.
 */
const date: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .integer({ min: -10, max: 10 })
      .map((offset) => dayNumber(new Date(Date.now() + offset * DAY_MS).toISOString().slice(0, 10)))
      .chain((day) => calendarDate(day, day)),
  },
  { weight: 2, arbitrary: calendarDate(0, LAST_DAY) },
  { weight: 1, arbitrary: fc.constantFrom("0001-01-01", "9999-12-31", "2028-02-29", "2000-02-29") },
);

function stringArbitrary(schema: Schema): fc.Arbitrary<string> {
  const minLength = typeof schema.minLength === "number" ? schema.minLength : 0;
  const maxLength = typeof schema.maxLength === "number" ? schema.maxLength : undefined;
  let base: fc.Arbitrary<string>;
  switch (schema.format) {
    case "uuid":
      base = fc.uuid({ version: [1, 2, 3, 4, 5, 6, 7, 8] });
      break;
    case "date-time":
      base = dateTime;
      break;
    case "date":
      base = date;
      break;
    case "email":
      // Addresses every email validator takes (the strictest, zod's, included): the fuzz is about the server.
      base = fc
        .tuple(fc.stringMatching(/^[a-z0-9]{1,12}$/), fc.uuid(), fc.stringMatching(/^[a-z]{1,10}$/))
        .map(([local, unique, domain]) => `${local}-${unique.slice(0, 8)}@${domain}.example`);
      break;
    case undefined: {
      const text = (min: number, max: number) => fc.string({ unit: codePoint, minLength: min, maxLength: max });
      const typicalMax = Math.min(maxLength ?? 40, Math.max(minLength, 40));
      const arbitraries = [{ weight: 8, arbitrary: text(minLength, typicalMax) }];
      // The boundaries: exactly the longest and the shortest string allowed.
      if (maxLength !== undefined) arbitraries.push({ weight: 1, arbitrary: text(maxLength, maxLength) });
      if (minLength > 0) arbitraries.push({ weight: 1, arbitrary: text(minLength, minLength) });
      base = fc.oneof(...arbitraries);
      // A pattern random text hardly ever matches (`HH:MM`): strings drawn from the pattern itself instead.
      const regex = regexOf(schema);
      if (regex && fc.sample(base, { numRuns: 100, seed: 1 }).filter((value) => regex.test(value)).length < 10) {
        base = fc.stringMatching(regex);
      }
      break;
    }
    default:
      throw new Error(`The fuzzer does not know the format "${String(schema.format)}"; teach it`);
  }
  return base.filter((value) => value.isWellFormed() && satisfiesString(schema, value));
}

function numberArbitrary(schema: Schema, integer: boolean): fc.Arbitrary<number> {
  const min = typeof schema.minimum === "number" ? schema.minimum : -1e6;
  const max = typeof schema.maximum === "number" ? schema.maximum : 1e6;
  const values = integer ? fc.integer({ min, max }) : fc.double({ min, max, noNaN: true });
  return fc.oneof({ weight: 4, arbitrary: values }, { weight: 1, arbitrary: fc.constantFrom(min, max) });
}

function objectArbitrary(schema: Schema, context: SchemaContext): fc.Arbitrary<Record<string, unknown>> {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const required = new Set((schema.required ?? []) as string[]);
  const record: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, property] of Object.entries(properties)) record[name] = valid(property, context);
  const optionalKeys = Object.keys(properties).filter((name) => !required.has(name));
  const minProperties = typeof schema.minProperties === "number" ? schema.minProperties : 0;
  return fc
    .record(record, { requiredKeys: [...required] })
    .filter((value) => Object.keys(value).length >= minProperties || optionalKeys.length === 0)
    .filter((value) => conditionsHold(schema, value));
}

/** The letters of a string in another case (a name that collides with it case-insensitively). */
const otherCase = (value: string) => (value.toUpperCase() !== value ? value.toUpperCase() : value.toLowerCase());

function arrayArbitrary(schema: Schema, context: SchemaContext): fc.Arbitrary<unknown[]> {
  const items = (schema.items ?? {}) as Schema;
  const minLength = typeof schema.minItems === "number" ? schema.minItems : 0;
  const maxItems = typeof schema.maxItems === "number" ? schema.maxItems : undefined;
  const item = valid(items, context);
  const typical = fc.array(item, { minLength, maxLength: Math.max(minLength, Math.min(maxItems ?? 5, 5)) });
  const arbitraries = [{ weight: 8, arbitrary: typical }];
  // The longest array allowed.
  if (maxItems !== undefined) {
    arbitraries.push({ weight: 1, arbitrary: fc.array(item, { minLength: maxItems, maxLength: maxItems }) });
  }
  // Without `uniqueItems`, an item may repeat: as is, or (text) in another case.
  const resolved = resolve(items, context);
  if (schema.uniqueItems === undefined && (maxItems === undefined || maxItems >= 2)) {
    arbitraries.push({
      weight: 2,
      arbitrary: fc
        .tuple(fc.array(item, { minLength: 1, maxLength: Math.min(maxItems ?? 4, 4) - 1 }), fc.nat(), fc.boolean())
        .map(([values, at, recase]) => {
          const repeated = values[at % values.length];
          const copy = recase && typeof repeated === "string" ? otherCase(repeated) : repeated;
          return [...values, typeof copy === "string" && !satisfiesString(resolved, copy) ? repeated : copy];
        }),
    });
  }
  return fc.oneof(...arbitraries);
}

/**
 * Does the value satisfy a conditional's subschema (`if`, `then`, `not`)? These use only `required`, `properties`,
 * `type`, `const` and `enum`; anything else throws, like an unknown keyword.
 */
function holds(schema: Schema, value: unknown): boolean {
  for (const keyword of Object.keys(schema)) {
    if (!["required", "properties", "type", "const", "enum", ...ANNOTATIONS].includes(keyword)) {
      throw new Error(`The fuzzer does not know the keyword "${keyword}" in a condition; teach it`);
    }
  }
  if (schema.const !== undefined && JSON.stringify(schema.const) !== JSON.stringify(value)) return false;
  if (Array.isArray(schema.enum) && !schema.enum.some((v) => JSON.stringify(v) === JSON.stringify(value))) return false;
  const allowed = types(schema);
  if (allowed.length > 0 && !allowed.includes(typeOf(value))) return false;
  if (schema.required || schema.properties) {
    if (typeOf(value) !== "object") return true;
    const object = value as Record<string, unknown>;
    if (((schema.required ?? []) as string[]).some((name) => !(name in object))) return false;
    for (const [name, property] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) {
      if (name in object && !holds(property, object[name])) return false;
    }
  }
  return true;
}

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

/** The object keywords that relate properties to one another: `if`/`then`, `not`. */
function conditionsHold(schema: Schema, value: Record<string, unknown>): boolean {
  if (schema.if !== undefined && holds(schema.if as Schema, value) && !holds((schema.then ?? {}) as Schema, value)) {
    return false;
  }
  return schema.not === undefined || !holds(schema.not as Schema, value);
}

/** The branches of a property's schema (its `anyOf`, or itself) whose type is among `wanted`, as one schema. */
function narrowed(property: Schema, wanted: string[], context: SchemaContext): Schema | undefined {
  const resolved = resolve(property, context);
  if (Array.isArray(resolved.anyOf)) {
    const { anyOf, ...shared } = resolved;
    const branches = (anyOf as Schema[]).filter((branch) =>
      types(resolve({ ...shared, ...branch }, context)).some((t) => wanted.includes(t)),
    );
    if (branches.length === 0) return undefined;
    return branches.length === 1 ? { ...shared, ...(branches[0] as Schema) } : { ...shared, anyOf: branches };
  }
  return types(resolved).some((t) => wanted.includes(t)) ? resolved : undefined;
}

/** Values the schema accepts. */
export function valid(input: Schema, context: SchemaContext): fc.Arbitrary<unknown> {
  const schema = resolve(input, context);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  if (Array.isArray(schema.anyOf)) {
    const { anyOf, ...shared } = schema;
    return fc.oneof(...(anyOf as Schema[]).map((branch) => valid({ ...shared, ...branch }, context)));
  }
  const options = types(schema).map((type): fc.Arbitrary<unknown> => {
    switch (type) {
      case "string":
        return stringArbitrary(schema);
      case "integer":
        return numberArbitrary(schema, true);
      case "number":
        return numberArbitrary(schema, false);
      case "boolean":
        return fc.boolean();
      case "null":
        return fc.constant(null);
      case "object":
        return objectArbitrary(schema, context);
      case "array":
        return arrayArbitrary(schema, context);
      default:
        throw new Error(`The fuzzer does not know the type "${type}"`);
    }
  });
  if (options.length === 0) throw new Error(`A schema without a type: ${JSON.stringify(schema)}`);
  return fc.oneof(...options);
}

/** A value of another JSON type than any the schema allows. */
function wrongType(schema: Schema): fc.Arbitrary<Invalid> {
  const allowed = new Set(types(schema));
  if (allowed.has("integer")) allowed.add("number");
  const candidates: [string, fc.Arbitrary<unknown>][] = [
    ["string", fc.string({ maxLength: 5 })],
    ["number", fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constant(1.5))],
    ["boolean", fc.boolean()],
    ["null", fc.constant(null)],
    ["object", fc.constant({})],
    ["array", fc.constant([1])],
  ];
  const others = candidates.filter(([type]) => !allowed.has(type));
  return fc.oneof(...others.map(([type, arbitrary]) => arbitrary.map((value) => ({ value, reason: `a ${type}` }))));
}

function invalidString(schema: Schema): fc.Arbitrary<Invalid>[] {
  const mutations: fc.Arbitrary<Invalid>[] = [];
  const letters = (n: number) => fc.string({ unit: plainCodePoint, minLength: n, maxLength: n });
  if (typeof schema.maxLength === "number") {
    const over = schema.maxLength + 1;
    mutations.push(letters(over).map((value) => ({ value, reason: `maxLength + 1 (${over})` })));
  }
  if (typeof schema.minLength === "number" && schema.minLength > 0) {
    const under = schema.minLength - 1;
    mutations.push(letters(under).map((value) => ({ value, reason: `minLength - 1 (${under})` })));
  }
  const regex = regexOf(schema);
  if (regex && schema.format === undefined) {
    // Only the mutations the pattern refuses (probed once), so no filter can starve.
    if (!regex.test("a\u0000b")) {
      mutations.push(
        fc
          .tuple(stringArbitrary({ ...schema, maxLength: Math.min(Number(schema.maxLength ?? 20), 20) - 1 }), fc.nat())
          .map(([value, at]) => {
            const chars = [...value];
            chars.splice(at % (chars.length + 1), 0, "\u0000");
            return { value: chars.join(""), reason: "a NUL character" };
          }),
      );
    }
    if (!regex.test(" ") && !regex.test("\t\u3000")) {
      mutations.push(
        fc
          .array(fc.constantFrom(...WHITE_SPACE), { minLength: 1, maxLength: 5 })
          .map((chars) => ({ value: chars.join(""), reason: "white space only" })),
      );
    }
  }
  if (
    schema.format === undefined &&
    typeof schema.description === "string" &&
    /\bNo lone surrogates\b/.test(schema.description)
  ) {
    mutations.push(
      fc
        .tuple(fc.string({ unit: plainCodePoint, maxLength: 5 }), fc.integer({ min: 0xd800, max: 0xdfff }))
        .map(([text, unit]) => ({
          value: `${text}${String.fromCharCode(unit)}`,
          reason: "a lone surrogate",
          prose: true,
        })),
    );
  }
  if (schema.format === "uuid") {
    mutations.push(
      fc
        .constantFrom("not-a-uuid", "00000000-0000-0000-0000-00000000000", "0b9e3a52-5f0e-0a53-9d59-6f1b2a7c8e11")
        .map((value) => ({
          value,
          reason: "not a UUID",
        })),
    );
  }
  if (schema.format === "date") {
    mutations.push(
      fc
        .constantFrom(
          "2026-02-30",
          "2025-02-29",
          "2026-13-01",
          "2026-00-10",
          "0000-01-01",
          "2026-1-01",
          "20260101",
          "2026-01-07T00:00:00Z",
          "10000-01-01",
          "tomorrow",
        )
        .map((value) => ({ value, reason: "not a calendar date (years 0001–9999)" })),
    );
  }
  if (schema.format === "date-time") {
    mutations.push(
      fc
        .constantFrom(
          "2026-13-01T00:00:00Z",
          "2026-01-07",
          "2026-01-07t10:00:00z",
          "yesterday",
          "2026-01-07T10:00:00",
          "2026-02-30T00:00:00Z",
        )
        .map((value) => ({ value, reason: "not an RFC 3339 date-time" })),
      outOfRangeDateTime.map((value) => ({ value, reason: "outside years 0001–9999", prose: true })),
    );
  }
  return mutations;
}

function invalidNumber(schema: Schema, integer: boolean): fc.Arbitrary<Invalid>[] {
  const mutations: fc.Arbitrary<Invalid>[] = [fc.constantFrom(1e20, -1e20).map((value) => ({ value, reason: "huge" }))];
  if (typeof schema.minimum === "number") {
    const below = schema.minimum - 1;
    mutations.push(
      fc
        .constantFrom(below, -1, -2147483649)
        .filter((v) => v < (schema.minimum as number))
        .map((value) => ({ value, reason: "below minimum" })),
    );
  }
  if (typeof schema.maximum === "number") {
    mutations.push(fc.constant((schema.maximum as number) + 1).map((value) => ({ value, reason: "above maximum" })));
  }
  if (integer) mutations.push(fc.constant(1.5).map((value) => ({ value, reason: "not an integer" })));
  return mutations;
}

function invalidArray(schema: Schema, context: SchemaContext): fc.Arbitrary<Invalid>[] {
  const items = (schema.items ?? {}) as Schema;
  const mutations: fc.Arbitrary<Invalid>[] = [
    fc
      .tuple(fc.array(valid(items, context), { maxLength: 3 }), invalid(items, context), fc.nat())
      .map(([values, bad, at]) => {
        const copy = [...values];
        copy.splice(at % (copy.length + 1), 0, bad.value);
        return { value: copy, reason: `an item: ${bad.reason}`, prose: bad.prose };
      }),
  ];
  if (typeof schema.maxItems === "number") {
    const over = schema.maxItems + 1;
    mutations.push(
      fc
        .array(valid(items, context), { minLength: over, maxLength: over })
        .map((value) => ({ value, reason: `maxItems + 1 (${over})` })),
    );
  }
  if (typeof schema.minItems === "number" && schema.minItems > 0) {
    const under = schema.minItems - 1;
    mutations.push(
      fc
        .array(valid(items, context), { minLength: under, maxLength: under })
        .map((value) => ({ value, reason: `minItems - 1 (${under})` })),
    );
  }
  return mutations;
}

/**
 * Objects that break `if`/`then` (the condition made true, then one of the consequence's requirements broken: the
 * property left out, or of a type it refuses) or `not` (its required properties all given valid values).
 */
function invalidConditions(schema: Schema, context: SchemaContext): fc.Arbitrary<Invalid>[] {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const { if: _if, then: _then, not: _not, ...unconditional } = schema;
  const base = objectArbitrary(unconditional, context);
  const mutations: fc.Arbitrary<Invalid>[] = [];
  /** Valid values, of the condition's type, for the properties a condition names. */
  const satisfying = (condition: Schema) => {
    const record: Record<string, fc.Arbitrary<unknown>> = {};
    const names = new Set([...((condition.required ?? []) as string[])]);
    for (const name of names) {
      const wanted = types(((condition.properties as Record<string, Schema> | undefined)?.[name] ?? {}) as Schema);
      const property = properties[name];
      if (!property) throw new Error(`A condition names ${name}, which the object does not have`);
      const schemaOf = wanted.length > 0 ? narrowed(property, wanted, context) : property;
      if (!schemaOf) throw new Error(`No value of ${name} can be ${wanted.join(" or ")}`);
      record[name] = valid(schemaOf, context);
    }
    return fc.record(record);
  };
  if (schema.if !== undefined) {
    const condition = resolve(schema.if as Schema, context);
    const consequence = resolve((schema.then ?? {}) as Schema, context);
    const label = `${JSON.stringify(condition)} without ${JSON.stringify(consequence)}`;
    const breaks: fc.Arbitrary<(value: Record<string, unknown>) => void>[] = [];
    for (const name of (consequence.required ?? []) as string[]) {
      breaks.push(fc.constant((value) => delete value[name]));
    }
    for (const [name, then] of Object.entries((consequence.properties ?? {}) as Record<string, Schema>)) {
      const property = properties[name];
      const allowed = types(then);
      if (!property || allowed.length === 0) continue;
      const others = ["string", "integer", "number", "boolean", "null", "object", "array"].filter(
        (t) => !allowed.includes(t),
      );
      const refused = narrowed(property, others, context);
      if (refused) {
        breaks.push(
          valid(refused, context).map((bad) => (value: Record<string, unknown>) => {
            value[name] = bad;
          }),
        );
      }
    }
    if (breaks.length > 0) {
      mutations.push(
        fc.tuple(base, satisfying(condition), fc.oneof(...breaks)).map(([value, forced, breakIt]) => {
          const copy: Record<string, unknown> = { ...value, ...forced };
          breakIt(copy);
          return { value: copy, reason: label };
        }),
      );
    }
  }
  if (schema.not !== undefined) {
    const forbidden = resolve(schema.not as Schema, context);
    mutations.push(
      fc.tuple(base, satisfying(forbidden)).map(([value, forced]) => ({
        value: { ...value, ...forced },
        reason: `not ${JSON.stringify(forbidden)}`,
      })),
    );
  }
  return mutations;
}

function invalidObject(schema: Schema, context: SchemaContext): fc.Arbitrary<Invalid>[] {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const required = (schema.required ?? []) as string[];
  const base = objectArbitrary(schema, context);
  const mutations: fc.Arbitrary<Invalid>[] = [];
  if (schema.additionalProperties === false) {
    mutations.push(
      fc
        .tuple(
          base,
          fc.constantFrom("id", "user_id", "version", "created_at", "__proto__", "Title", "extra"),
          fc.jsonValue(),
        )
        .map(([value, key, extra]) => ({ value: { ...value, [key]: extra }, reason: `an extra property ${key}` })),
    );
  }
  for (const name of required) {
    mutations.push(
      base.map((value) => {
        const { [name]: _dropped, ...rest } = value;
        return { value: rest, reason: `without the required ${name}` };
      }),
    );
  }
  for (const [name, property] of Object.entries(properties)) {
    mutations.push(
      fc.tuple(base, invalid(property, context)).map(([value, bad]) => ({
        value: { ...value, [name]: bad.value },
        reason: `${name}: ${bad.reason}`,
        prose: bad.prose,
      })),
    );
  }
  if (typeof schema.minProperties === "number" && schema.minProperties > 0) {
    mutations.push(fc.constant({ value: {}, reason: "no properties" }));
  }
  mutations.push(...invalidConditions(schema, context));
  return mutations;
}

/** Values the schema (or, with `prose`, only its description) refuses, each with the reason. */
export function invalid(input: Schema, context: SchemaContext): fc.Arbitrary<Invalid> {
  const schema = resolve(input, context);
  if (schema.const !== undefined || Array.isArray(schema.enum)) {
    const allowed = (schema.enum as unknown[] | undefined) ?? [schema.const];
    return fc.oneof(
      fc
        .constantFrom("nope", "TRUE", "", "created", "-", "1")
        .filter((v) => !allowed.includes(v))
        .map((value) => ({ value, reason: "not in the enum" })),
      wrongType({ type: typeof allowed[0] === "string" ? "string" : "number" }),
    );
  }
  if (Array.isArray(schema.anyOf)) {
    const { anyOf, ...shared } = schema;
    // Wrong in every branch: a type none allows, or a value that breaks the branch of its own type.
    const branches = (anyOf as Schema[]).map((branch) => resolve({ ...shared, ...branch }, context));
    const allTypes = branches.flatMap(types);
    // A branch that is an enum of strings: strings outside it (when no other branch takes them).
    const outsideEnums = branches
      .filter(
        (branch) =>
          Array.isArray(branch.enum) &&
          !branches.some(
            (b) => b !== branch && types(b).includes("string") && !Array.isArray(b.enum) && b.const === undefined,
          ),
      )
      .map((branch) =>
        fc
          .constantFrom("nope", "TRUE", "", "created", "-", "Mars/Olympus_Mons")
          .filter((v) => !(branch.enum as unknown[]).includes(v))
          .map((value) => ({ value, reason: "not in the enum" })),
      );
    return fc.oneof(
      wrongType({ type: allTypes }),
      ...outsideEnums,
      ...branches.flatMap((branch) => invalidOf(branch, context)),
    );
  }
  return fc.oneof(wrongType(schema), ...invalidOf(schema, context));
}

function invalidOf(schema: Schema, context: SchemaContext): fc.Arbitrary<Invalid>[] {
  return types(schema).flatMap((type) => {
    switch (type) {
      case "string":
        return invalidString(schema);
      case "integer":
        return invalidNumber(schema, true);
      case "number":
        return invalidNumber(schema, false);
      case "object":
        return invalidObject(schema, context);
      case "array":
        return invalidArray(schema, context);
      default:
        return [];
    }
  });
}
