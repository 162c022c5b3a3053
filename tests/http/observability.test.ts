import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, signUpOver, startServer } from "../support/server.ts";
import type { TestUser } from "../support/users.ts";

type OtlpSpan = { traceId: string; name: string; attributes?: { key: string; value: { stringValue?: string } }[] };
type OtlpExport = { resourceSpans?: { scopeSpans?: { spans?: OtlpSpan[] }[] }[] };

/** An OTLP/HTTP (JSON) trace receiver on localhost, keeping every span it is sent. */
async function startCollector(): Promise<{ url: string; spans: OtlpSpan[]; server: Server }> {
  const spans: OtlpSpan[] = [];
  const server = createServer((request, response) => {
    let body = "";
    request.setEncoding("utf8").on("data", (chunk: string) => {
      body += chunk;
    });
    request.on("end", () => {
      if (request.url === "/v1/traces") {
        const exported = JSON.parse(body) as OtlpExport;
        for (const resource of exported.resourceSpans ?? []) {
          for (const scope of resource.scopeSpans ?? []) spans.push(...(scope.spans ?? []));
        }
      }
      response.writeHead(200, { "Content-Type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, spans, server };
}

const attribute = (span: OtlpSpan, key: string) =>
  span.attributes?.find((entry) => entry.key === key)?.value.stringValue;

describe("A request id leads to its log line and its trace", () => {
  let collector: Awaited<ReturnType<typeof startCollector>>;
  let server: RunningServer;
  let alice: TestUser;

  beforeAll(async () => {
    collector = await startCollector();
    server = await startServer({
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
        OTEL_BSP_SCHEDULE_DELAY: "100",
        OTEL_SERVICE_NAME: "taskapp-test",
        // Every query counts as slow here, so that each one is logged.
        SLOW_QUERY_MS: "0",
      },
    });
    alice = await signUpOver(server, "Alice");
  }, 120_000);

  afterAll(async () => {
    await server.stop();
    await new Promise((resolve) => collector.server.close(resolve));
  });

  it("a 404's X-Request-Id names one log line, whose trace_id names the trace holding that request id", async () => {
    const response = await fetch(`${server.url}/api/${alice.id}/tasks/${randomUUID()}`, {
      headers: { Authorization: `Bearer ${alice.token}` },
    });
    expect(response.status).toBe(404);
    const requestId = response.headers.get("x-request-id") ?? "";

    const line = server.output.find(
      (entry) => entry.includes('"msg":"request"') && entry.includes(`"request_id":"${requestId}"`),
    );
    const logged = JSON.parse(line ?? "{}") as { trace_id?: string; status?: number; user_id?: string };
    expect(logged.status).toBe(404);
    expect(logged.user_id).toBe(alice.id);
    expect(logged.trace_id).toMatch(/^[0-9a-f]{32}$/);

    const deadline = Date.now() + 10_000;
    let span: OtlpSpan | undefined;
    while (!span && Date.now() < deadline) {
      span = collector.spans.find((candidate) => attribute(candidate, "taskapp.request_id") === requestId);
      if (!span) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(span, "no exported span carries the request id").toBeDefined();
    expect(span?.traceId).toBe(logged.trace_id);
    expect(attribute(span as OtlpSpan, "enduser.id")).toBe(alice.id);
  });

  it("slow queries are logged with their duration and statement, never the values they carried", async () => {
    const title = `Secret plan ${randomUUID()}`;
    const response = await fetch(`${server.url}/api/${alice.id}/tasks`, {
      method: "POST",
      headers: { Authorization: `Bearer ${alice.token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ title }),
    });
    expect(response.status).toBe(201);
    const requestId = response.headers.get("x-request-id");
    await new Promise((resolve) => setTimeout(resolve, 200));
    const slow = server.output
      .filter((line) => line.includes('"msg":"slow query"'))
      .map((line) => JSON.parse(line) as { duration_ms: number; query: string; request_id: string | null });
    const insert = slow.find((entry) => entry.request_id === requestId && /INSERT INTO/i.test(entry.query));
    expect(insert, "the INSERT of the create is logged with the request's id").toBeDefined();
    expect(insert?.duration_ms).toBeTypeOf("number");
    expect(server.output.join("\n")).not.toContain(title);
  });
});
