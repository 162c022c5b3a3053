// The OpenAPI document as a checker of real responses, shared by tests/api/contract.test.ts and the conformance fuzz
// (tests/api/conformance.test.ts): openapi-backend finds the operation by method and path and validates the body
// (Ajv, JSON Schema 2020-12) and headers of the response object for the status.
import { Ajv2020, type Options } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { OpenAPIBackend, type Operation, SetMatchType } from "openapi-backend";
import { BASE_URL } from "./app.ts";

export type Json = { [key: string]: unknown };

type HeaderObject = { required?: boolean; schema?: Json; $ref?: string };

export type ResponseObject = {
  description?: string;
  headers?: Record<string, HeaderObject>;
  content?: Record<string, { schema?: Json }>;
  $ref?: string;
};

const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

export function ajv2020(options: Options = {}) {
  const ajv = new Ajv2020({ strict: false, allErrors: true, ...options });
  addFormats(ajv);
  return ajv;
}

/** The response as the checker needs it: status, headers and the body's text (empty for none). */
export type Observed = { status: number; headers: Headers; body: string };

export class DocumentChecker {
  readonly document: Json;
  readonly api: OpenAPIBackend;
  readonly #ajv = ajv2020({ coerceTypes: true });
  readonly #templates: { template: string; pattern: RegExp; params: number }[];

  private constructor(document: Json, api: OpenAPIBackend) {
    this.document = document;
    this.api = api;
    // Like a router: the template with fewer parameters wins (`/tasks/summary` before `/tasks/{taskId}`).
    this.#templates = Object.keys(document.paths as Json)
      .map((template) => ({
        template,
        pattern: new RegExp(`^${template.replace(/[.]/g, "\\.").replace(/\{[^}]+\}/g, "[^/]+")}$`),
        params: (template.match(/\{/g) ?? []).length,
      }))
      .sort((a, b) => a.params - b.params);
  }

  static async create(document: Json): Promise<DocumentChecker> {
    const api = new OpenAPIBackend({
      definition: structuredClone(document) as never,
      strict: true,
      // Skips openapi-backend's own check of the document, which knows only OpenAPI 3.0 (the contract test checks it
      // against the OpenAPI 3.1 schema). Schemas are compiled with Ajv's JSON Schema 2020-12, 3.1's dialect, with the
      // options openapi-backend asks for (it coerces header values, which are strings on the wire, to their types).
      quick: true,
      customizeAjv: (_ajv, options) => ajv2020(options as Options),
    });
    await api.init();
    return new DocumentChecker(document, api);
  }

  /** The document's path template a URL path falls under, if any. */
  templateFor(pathname: string): string | undefined {
    return this.#templates.find(({ pattern }) => pattern.test(pathname))?.template;
  }

  /** The methods a path item lists, upper-case. */
  methodsOf(template: string): string[] {
    const item = (this.document.paths as Record<string, Json>)[template] ?? {};
    return HTTP_METHODS.filter((method) => method in item).map((method) => method.toUpperCase());
  }

  /** What `Allow` must say for a path: its methods, HEAD wherever GET is, and OPTIONS. */
  allowFor(template: string): string[] {
    const methods = this.methodsOf(template);
    return [...new Set([...methods, ...(methods.includes("GET") ? ["HEAD"] : []), "OPTIONS"])].sort();
  }

  operationFor(method: string, url: string): Operation | undefined {
    const { pathname, searchParams } = new URL(url, BASE_URL);
    return this.api.matchOperation({
      method: method === "HEAD" ? "GET" : method,
      path: pathname,
      headers: {},
      query: Object.fromEntries(searchParams),
    });
  }

  resolve<T extends { $ref?: string }>(object: T): T {
    let current: T = object;
    while (current?.$ref) {
      let target: unknown = this.document;
      for (const key of current.$ref.replace(/^#\//, "").split("/")) target = (target as Json)[key];
      current = target as T;
    }
    return current;
  }

  /**
   * What is wrong with a response to `method url` by the document: no operation, a status the operation does not
   * list, a required header missing, a header or body its schemas refuse. Empty when the document describes it.
   * HEAD is GET without a body; a method the path does not list must be the shared 405 with the path's `Allow`.
   */
  problems(method: string, url: string, observed: Observed): string[] {
    const { pathname } = new URL(url, BASE_URL);
    const operation = this.operationFor(method, url);
    const template = this.templateFor(pathname);
    if (!operation) {
      if (!template) return [`no path of the document matches ${pathname}`];
      if (observed.status !== 405)
        return [`${method} is not an operation of ${template}, yet it answered ${observed.status}`];
      const documented = ((this.document.components as Json).responses as Json).MethodNotAllowed as ResponseObject;
      const head = method === "HEAD";
      const problems = this.#check(documented, observed, head, (body) => this.#validate(documented, body));
      const allow = (observed.headers.get("allow") ?? "").split(/,\s*/).sort();
      if (allow.join() !== this.allowFor(template).join()) {
        problems.push(
          `Allow is "${observed.headers.get("allow")}", the document says ${this.allowFor(template).join(", ")}`,
        );
      }
      return problems;
    }
    const documented = operation.responses?.[String(observed.status)] as ResponseObject | undefined;
    if (!documented) return [`${operation.operationId} does not document status ${observed.status}`];
    const response = this.resolve(documented);
    const problems = this.#check(response, observed, method === "HEAD", (body) => {
      const result = this.api.validateResponse(body, operation, observed.status);
      return result.errors?.length ? [JSON.stringify(result.errors).slice(0, 600)] : [];
    });
    const headers = this.api.validateResponseHeaders(Object.fromEntries(observed.headers), operation, {
      statusCode: observed.status,
      setMatchType: SetMatchType.Any,
    });
    if (headers.errors?.length) problems.push(`headers: ${JSON.stringify(headers.errors).slice(0, 600)}`);
    if (observed.status === 405 && response.headers?.Allow) {
      const allow = (observed.headers.get("allow") ?? "").split(/,\s*/).sort();
      if (template && allow.join() !== this.allowFor(template).join())
        problems.push(`Allow is "${observed.headers.get("allow")}"`);
    }
    return problems.map((problem) => `${operation.operationId} ${observed.status}: ${problem}`);
  }

  #validate(response: ResponseObject, body: unknown): string[] {
    const schema = response.content?.["application/json"]?.schema;
    return schema ? this.validate(schema as Json, body) : [];
  }

  /** A value's problems against a schema of the document, its `$ref`s resolved: none is an empty list. */
  validate(schema: Json, value: unknown): string[] {
    const validate = this.#ajv.compile(this.#resolveDeep(schema) as Json);
    return validate(value) ? [] : [JSON.stringify(validate.errors).slice(0, 600)];
  }

  #resolveDeep(schema: unknown): unknown {
    if (Array.isArray(schema)) return schema.map((item) => this.#resolveDeep(item));
    if (!schema || typeof schema !== "object") return schema;
    const resolved = (schema as { $ref?: string }).$ref ? this.resolve(schema as { $ref: string }) : schema;
    return Object.fromEntries(Object.entries(resolved).map(([key, value]) => [key, this.#resolveDeep(value)]));
  }

  #check(response: ResponseObject, observed: Observed, head: boolean, validateBody: (body: unknown) => string[]) {
    const problems: string[] = [];
    const headerSchemas: Record<string, Json> = {};
    for (const [name, header] of Object.entries(response.headers ?? {})) {
      const resolved = this.resolve(header);
      if (resolved.required && !observed.headers.has(name)) problems.push(`the required ${name} header is missing`);
      if (resolved.schema) headerSchemas[name.toLowerCase()] = this.#resolveDeep(resolved.schema) as Json;
    }
    const validateHeaders = this.#ajv.compile({ type: "object", properties: headerSchemas });
    if (!validateHeaders(Object.fromEntries(observed.headers))) {
      problems.push(`headers: ${JSON.stringify(validateHeaders.errors).slice(0, 400)}`);
    }
    if (!observed.headers.has("x-request-id")) problems.push("no X-Request-Id");
    if (head || !response.content) {
      if (observed.body !== "") problems.push(`a body where the document has none: ${observed.body.slice(0, 200)}`);
      return problems;
    }
    const contentType = observed.headers.get("content-type") ?? "";
    if (/^text\/event-stream\b/.test(contentType)) {
      if (!response.content["text/event-stream"]) problems.push("an event stream where the document has none");
      if (!observed.body.startsWith("retry: ") || !observed.body.includes("event: ready\n")) {
        problems.push(`an event stream that does not start with retry and ready: ${observed.body.slice(0, 200)}`);
      }
      return problems;
    }
    if (/^text\/csv\b/.test(contentType)) {
      if (!response.content["text/csv"]) problems.push("a CSV where the document has none");
      if (!/^\uFEFF?[^\r\n]+\r\n/.test(observed.body))
        problems.push(`a CSV without a header: ${observed.body.slice(0, 200)}`);
      return problems;
    }
    if (!/^application\/json\b/.test(contentType)) {
      problems.push(`Content-Type ${contentType}, not JSON`);
      return problems;
    }
    let body: unknown;
    try {
      body = JSON.parse(observed.body);
    } catch {
      return [...problems, `a body that is not JSON: ${observed.body.slice(0, 200)}`];
    }
    const bodyProblems = validateBody(body);
    return [...problems, ...bodyProblems.map((problem) => `body ${observed.body.slice(0, 300)}: ${problem}`)];
  }
}

/** Reads a Response for the checker (its body consumed). */
export async function observe(response: Response): Promise<Observed> {
  return { status: response.status, headers: response.headers, body: await response.text() };
}
