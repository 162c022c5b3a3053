// JSON Schema → fast-check arbitraries, for the subset of JSON Schema 2020-12 the OpenAPI document uses in its
// requests: `$ref`, `type` (one or a list), `enum`, `const`, `anyOf`, `properties`/`required`/
// `additionalProperties: false`/`minProperties`, `items`, `minLength`/`maxLength`/`pattern`/`format` (uuid,
// date-time, email), `minimum`/`maximum`. A keyword outside the subset throws, so a document that grows a rule this
// converter does not know fails loudly instead of being fuzzed as if the rule were not there.
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
    .filter((value) => Object.keys(value).length >= minProperties || optionalKeys.length === 0);
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
        return fc.array(valid((schema.items ?? {}) as Schema, context), { maxLength: 5 });
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
    return fc.oneof(wrongType({ type: allTypes }), ...branches.flatMap((branch) => invalidOf(branch, context)));
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
      default:
        return [];
    }
  });
}
