import { spawn } from "node:child_process";
import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, signUpOver, startServer } from "../support/server.ts";
import type { TestUser } from "../support/users.ts";

// What only a real HTTP server shows: the production build behind scripts/start.ts, over sockets.

let server: RunningServer;
let alice: TestUser;
let taskId: string;

beforeAll(async () => {
  server = await startServer();
  alice = await signUpOver(server, "Alice");
  const created = await api("POST", `/api/${alice.id}/tasks`, { json: { title: "Buy milk" } });
  taskId = ((await created.json()) as { id: string }).id;
}, 120_000);

afterAll(() => server.stop());

function api(method: string, path: string, options: { json?: unknown; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { Authorization: `Bearer ${alice.token}`, ...options.headers };
  if (options.json !== undefined) headers["Content-Type"] ??= "application/json";
  const body = options.json === undefined ? undefined : JSON.stringify(options.json);
  return fetch(`${server.url}${path}`, { method, headers, body });
}

type RawResponse = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

/** A request with exactly these header lines (repeats included), which fetch cannot send. */
function raw(method: string, path: string, headerLines: [string, string][], body?: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, server.url);
    // Node takes repeated headers as a flat [name, value, name, value…] list, the format of `rawHeaders`.
    const headers = [["Host", url.host], ...headerLines].flat();
    const request = httpRequest({ host: url.hostname, port: Number(url.port), method, path, headers }, (response) => {
      let text = "";
      response.setEncoding("utf8").on("data", (chunk: string) => {
        text += chunk;
      });
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }));
    });
    request.on("error", reject);
    request.end(body);
  });
}

/** Writes bytes to a new connection and returns everything the server sends until it closes the connection. */
function rawSocket(bytes: string): Promise<string> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => socket.write(bytes));
    let received = "";
    socket.setEncoding("utf8").on("data", (chunk: string) => {
      received += chunk;
    });
    socket.on("end", () => resolve(received));
    socket.on("error", reject);
  });
}

async function expectErrorBody(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  const body = (await response.json()) as { error: string; detail: string };
  expect(body.error).toBe(code);
  expect(body.detail.length).toBeGreaterThan(0);
  return body;
}

describe("HEAD", () => {
  it("on a task and on the list answers like GET, without a body", async () => {
    for (const path of [`/api/${alice.id}/tasks/${taskId}`, `/api/${alice.id}/tasks`]) {
      const [get, head] = [await api("GET", path), await api("HEAD", path)];
      expect(head.status).toBe(200);
      expect(await head.text()).toBe("");
      expect(head.headers.get("etag")).toBe(get.headers.get("etag"));
      expect(head.headers.get("content-type")).toBe(get.headers.get("content-type"));
      expect(head.headers.get("ratelimit-limit")).toBe(get.headers.get("ratelimit-limit"));
      expect(head.headers.get("x-request-id")).toBeTruthy();
    }
  });

  it("without a token is a 401 with its challenge, and no body", async () => {
    const response = await fetch(`${server.url}/api/${alice.id}/tasks`, { method: "HEAD" });
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(await response.text()).toBe("");
  });
});

describe("Headers that may appear once", () => {
  const listPath = () => `/api/${alice.id}/tasks`;

  it("two Authorization headers are a 400, whichever comes first (Node would silently keep the first)", async () => {
    for (const lines of [
      [
        ["Authorization", `Bearer ${alice.token}`],
        ["Authorization", "Bearer forged.token.here"],
      ],
      [
        ["Authorization", "Bearer forged.token.here"],
        ["Authorization", `Bearer ${alice.token}`],
      ],
    ] as [string, string][][]) {
      const response = await raw("GET", listPath(), lines);
      expect(response.status).toBe(400);
      expect(JSON.parse(response.body)).toMatchObject({ error: "invalid_request" });
      expect(response.headers["x-request-id"]).toBeTruthy();
    }
  });

  it("two Content-Type headers on a write are a 400 too; one of each is fine", async () => {
    const headers: [string, string][] = [
      ["Authorization", `Bearer ${alice.token}`],
      ["Content-Type", "application/json"],
      ["Content-Type", "text/plain"],
    ];
    const refused = await raw("POST", listPath(), headers, JSON.stringify({ title: "Twice typed" }));
    expect(refused.status).toBe(400);
    const accepted = await raw("POST", listPath(), headers.slice(0, 2), JSON.stringify({ title: "Once typed" }));
    expect(accepted.status).toBe(201);
  });
});

describe("Methods nobody routes", () => {
  it.each(["TRACE"])(
    "%s on a task route, the health check and an auth route is a 405 with Allow and the error body",
    async (method) => {
      for (const [path, allow] of [
        [`/api/${alice.id}/tasks/${taskId}`, "GET, PUT, PATCH, DELETE, HEAD, OPTIONS"],
        ["/api/health", "GET, HEAD, OPTIONS"],
        ["/api/auth/sign-in/email", "POST, OPTIONS"],
      ] as const) {
        const response = await raw(method, path, [["Authorization", `Bearer ${alice.token}`]]);
        expect(response.status).toBe(405);
        expect(response.headers.allow).toBe(allow);
        expect(response.headers["x-request-id"]).toBeTruthy();
        expect(JSON.parse(response.body)).toMatchObject({ error: "method_not_allowed" });
      }
    },
  );

  it.each(["COPY", "LOCK", "PROPFIND", "PURGE", "SEARCH"])(
    "%s, a method Node knows but nobody routes, is a 405 with the route's Allow, not Next's bare 400",
    async (method) => {
      const response = await raw(method, `/api/${alice.id}/tasks`, [["Authorization", `Bearer ${alice.token}`]]);
      expect(response.status).toBe(405);
      expect(response.headers.allow).toBe("GET, POST, HEAD, OPTIONS");
      expect(JSON.parse(response.body)).toMatchObject({ error: "method_not_allowed" });
      expect(response.headers["x-request-id"]).toBeTruthy();
    },
  );

  it("POST /api/auth/get-session, which Better Auth would always refuse without Allow, is our 405 with Allow", async () => {
    const response = await fetch(`${server.url}/api/auth/get-session`, {
      method: "POST",
      headers: { Cookie: alice.cookie, Origin: server.publicUrl, "Content-Type": "application/json" },
      body: "{}",
    });
    await expectErrorBody(response, 405, "method_not_allowed");
    expect(response.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
  });

  it("a method Node's parser does not know (TRACK) is a 400 in the API's error format, not Node's bare one", async () => {
    const text = await rawSocket("TRACK /api/health HTTP/1.1\r\nHost: localhost\r\n\r\n");
    expect(text).toMatch(/^HTTP\/1\.1 400 /);
    expect(text).toContain('"error":"invalid_request"');
    expect(text).toMatch(/\r\nX-Request-Id: [0-9a-f-]{36}\r\n/);
  });

  it("CONNECT is a 405 in the same format, and the connection is closed", async () => {
    const text = await rawSocket("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n");
    expect(text).toMatch(/^HTTP\/1\.1 405 /);
    expect(text).toMatch(/\r\nAllow: GET, HEAD, OPTIONS\r\n/);
    expect(text).toContain('"error":"method_not_allowed"');
  });

  it("PUT, PATCH and DELETE on auth routes are 405 with Allow and the error body (Better Auth's own answer had neither)", async () => {
    for (const method of ["PUT", "PATCH", "DELETE"]) {
      const response = await fetch(`${server.url}/api/auth/token`, { method });
      await expectErrorBody(response, 405, "method_not_allowed");
      expect(response.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
    }
    await expectErrorBody(await fetch(`${server.url}/api/auth/no-such-thing`), 404, "not_found");
  });
});

describe("Paths that are not valid percent-encoded UTF-8", () => {
  it.each(["/api/%FF/tasks", `/api/x/tasks/%C3`, "/%FF", "/sign-in%E0%A4"])(
    "%s is a JSON 400, not Next's plain-text 500",
    async (path) => {
      const response = await fetch(`${server.url}${path}`, { headers: { Authorization: `Bearer ${alice.token}` } });
      await expectErrorBody(response, 400, "invalid_path");
    },
  );
});

describe("Security headers", () => {
  const STATIC = [
    "x-content-type-options",
    "referrer-policy",
    "permissions-policy",
    "cross-origin-opener-policy",
    "x-frame-options",
    "strict-transport-security",
  ];

  it("every API answer carries them and the API's CSP: a task, a 401, an auth answer, the health check, a 404", async () => {
    const answers = [
      await api("GET", `/api/${alice.id}/tasks/${taskId}`),
      await fetch(`${server.url}/api/${alice.id}/tasks`),
      await fetch(`${server.url}/api/auth/get-session`, { headers: { Cookie: alice.cookie } }),
      await fetch(`${server.url}/api/health`),
      await fetch(`${server.url}/api/auth/no-such-thing`),
    ];
    for (const response of answers) {
      for (const name of STATIC) expect(response.headers.get(name), name).toBeTruthy();
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("content-security-policy")).toBe(
        "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
      );
    }
  });

  it("a page carries them and a CSP whose fresh nonce is on every script of the page", async () => {
    const nonces: string[] = [];
    for (let i = 0; i < 2; i++) {
      const response = await fetch(`${server.url}/sign-in`);
      expect(response.status).toBe(200);
      for (const name of STATIC) expect(response.headers.get(name), name).toBeTruthy();
      const policy = response.headers.get("content-security-policy") ?? "";
      const nonce = policy.match(/'nonce-([^']+)'/)?.[1] ?? "";
      expect(policy).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
      expect(policy).not.toMatch(/script-src[^;]*'unsafe-inline'/);
      for (const directive of [
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "connect-src 'self'",
      ]) {
        expect(policy).toContain(directive);
      }
      const html = await response.text();
      const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((match) => match[0]);
      expect(scripts.length).toBeGreaterThan(0);
      for (const script of scripts) expect(script).toContain(`nonce="${nonce}"`);
      nonces.push(nonce);
    }
    expect(nonces[0]).not.toBe(nonces[1]);
  });

  it("TRACE on a page is a 405 allowing GET and HEAD", async () => {
    const response = await raw("TRACE", "/sign-in", []);
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe("GET, HEAD");
  });
});

describe("The sign-in redirect stays on the site", () => {
  it.each(["/..//evil.example", "/.%2F%2Fevil.example", "/./%2Fevil.example", "//evil.example", "/%5Cevil.example"])(
    "signed in, /sign-in and /sign-up with next=%s send the browser to /tasks, not to another host",
    async (next) => {
      for (const page of ["/sign-in", "/sign-up"]) {
        const response = await fetch(`${server.url}${page}?next=${next}`, {
          headers: { Cookie: alice.cookie },
          redirect: "manual",
        });
        expect(response.status).toBe(307);
        const location = response.headers.get("location") ?? "";
        expect(new URL(location, server.url).origin).toBe(new URL(server.url).origin);
        expect(new URL(location, server.url).pathname).toBe("/tasks");
      }
    },
  );

  it("a path of the site is kept: next=/docs lands on /docs", async () => {
    const response = await fetch(`${server.url}/sign-in?next=/docs`, {
      headers: { Cookie: alice.cookie },
      redirect: "manual",
    });
    expect(new URL(response.headers.get("location") ?? "", server.url).pathname).toBe("/docs");
  });
});

describe("Bodies over the limit", () => {
  it("a 70 KB task body is a 413 before it is parsed", async () => {
    const response = await api("POST", `/api/${alice.id}/tasks`, {
      json: { title: "x", description: "y".repeat(70_000) },
    });
    await expectErrorBody(response, 413, "payload_too_large");
  });

  it("a 20 MB sign-in body is a 413, refused without reading it all", async () => {
    const started = performance.now();
    const response = await fetch(`${server.url}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Origin: server.publicUrl },
      body: JSON.stringify({ email: "a@example.test", password: "p".repeat(20 * 1024 * 1024) }),
    });
    await expectErrorBody(response, 413, "payload_too_large");
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it("a sign-up whose name is over 100 characters is refused in Better Auth's format, and nothing is stored", async () => {
    const email = `long-name-${Date.now()}@example.test`;
    const response = await fetch(`${server.url}/api/auth/sign-up/email`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Origin: server.publicUrl },
      body: JSON.stringify({ name: "N".repeat(101), email, password: "correct horse battery staple" }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: "NAME_TOO_LONG" });
    const signIn = await fetch(`${server.url}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Origin: server.publicUrl },
      body: JSON.stringify({ email, password: "correct horse battery staple" }),
    });
    expect(signIn.status).toBe(401);
  });
});

describe("Cookies and caching of the auth routes", () => {
  it("the session cookie is HttpOnly, SameSite=Lax, Secure and __Secure- prefixed in production", async () => {
    const response = await fetch(`${server.url}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Origin: server.publicUrl },
      body: JSON.stringify({ email: alice.email, password: alice.password }),
    });
    expect(response.status).toBe(200);
    const session = response.headers.getSetCookie().find((cookie) => cookie.includes("session_token="));
    expect(session).toMatch(/^__Secure-better-auth\.session_token=/);
    for (const attribute of [/;\s*HttpOnly/i, /;\s*SameSite=Lax/i, /;\s*Secure/i, /;\s*Path=\//i]) {
      expect(session).toMatch(attribute);
    }
    expect(response.headers.get("cache-control")).toBe("no-store");
  });

  it("GET /api/auth/token is never cached, nor is any auth answer: refusals of ours and Better Auth's included", async () => {
    const response = await fetch(`${server.url}/api/auth/token`, { headers: { Cookie: alice.cookie } });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const refusals = [
      await fetch(`${server.url}/api/auth/token`),
      await fetch(`${server.url}/api/auth/no-such-thing`),
      await fetch(`${server.url}/api/auth/token`, { method: "DELETE" }),
      await fetch(`${server.url}/api/auth/token`, { method: "OPTIONS" }),
    ];
    expect(refusals.map((refusal) => refusal.status)).toEqual([401, 404, 405, 204]);
    for (const refusal of refusals) expect(refusal.headers.get("cache-control")).toBe("no-store");
  });

  it("a sign-up name with a NUL character or a lone surrogate is a 400 INVALID_NAME, and nothing is stored", async () => {
    for (const name of ["Ada\u0000Lovelace", "Ada \ud800"]) {
      const email = `bad-name-${Date.now()}-${name.length}@example.test`;
      const response = await fetch(`${server.url}/api/auth/sign-up/email`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Origin: server.publicUrl },
        body: JSON.stringify({ name, email, password: "correct horse battery staple" }),
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ code: "INVALID_NAME" });
    }
  });
});

describe("The request log", () => {
  it("has one JSON line per API request with its request id, route, status, duration and user, and no secrets", async () => {
    const response = await api("GET", `/api/${alice.id}/tasks/${taskId}`);
    const requestId = response.headers.get("x-request-id");
    await new Promise((resolve) => setTimeout(resolve, 100));
    const lines = server.output.filter(
      (line) => line.includes('"msg":"request"') && line.includes(`"request_id":"${requestId}"`),
    );
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0] ?? "{}");
    expect(entry).toMatchObject({
      level: "info",
      msg: "request",
      method: "GET",
      route: "/api/{userId}/tasks/{taskId}",
      status: 200,
      user_id: alice.id,
    });
    expect(entry.duration_ms).toBeTypeOf("number");
    const everything = server.output.join("\n");
    expect(everything).not.toContain(alice.token);
    expect(everything).not.toContain(alice.password);
    expect(everything).not.toContain("Buy milk");
  });
});

describe("A production start that would be unsafe is refused", () => {
  const ROOT = path.resolve(import.meta.dirname, "../..");

  function startAndCollect(
    command: string[],
    env: Record<string, string>,
  ): Promise<{ code: number | null; output: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, command, {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? "",
          NODE_ENV: "production",
          DATABASE_URL: server.databaseUrl,
          BETTER_AUTH_SECRET: "http-test-secret-that-is-long-enough-0123456789",
          BETTER_AUTH_URL: "https://tasks.example",
          ...env,
        },
      });
      let output = "";
      child.stdout.on("data", (chunk) => {
        output += chunk;
      });
      child.stderr.on("data", (chunk) => {
        output += chunk;
      });
      const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
      child.on("exit", (code) => {
        clearTimeout(timer);
        resolve({ code, output });
      });
    });
  }

  it("without CORS_ORIGINS it exits 1 naming the variable, instead of trusting localhost origins", async () => {
    const { code, output } = await startAndCollect([path.join(ROOT, "scripts/start.ts"), "-p", "0"], {});
    expect(code).toBe(1);
    expect(output).toContain("CORS_ORIGINS: is not set");
  });

  it("under plain `next start`, which keeps a client's X-Forwarded-For, the socket address cannot be trusted: exit 1", async () => {
    const { code, output } = await startAndCollect(
      [path.join(ROOT, "node_modules/next/dist/bin/next"), "start", "-p", "0"],
      {
        CORS_ORIGINS: "https://tasks.example",
      },
    );
    expect(code).toBe(1);
    expect(output).toContain("CLIENT_ADDRESS_SOURCE: is socket");
  });
});
