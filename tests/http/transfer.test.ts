import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ExportDocument, ImportReport } from "@/lib/transfer/schema";
import { dropDatabase, type RunningServer, signUpOver, startServer } from "../support/server.ts";
import type { TestUser } from "../support/users.ts";

// A real production server: what only HTTP shows (a streamed body, HEAD, a declared Content-Length past the bound),
// and the API budget, which the in-process tests set out of reach. The window is an hour: no test straddles one.
const API_LIMIT = 150;

let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ env: { API_RATE_LIMIT: `${API_LIMIT}/1h` } });
});

afterAll(async () => {
  await server.stop();
  await dropDatabase(server.databaseName);
});

const csvOf = (count: number) =>
  `TYPE,CONTENT\r\n${Array.from({ length: count }, (_, n) => `task,Task ${n}\r\n`).join("")}`;

function importCsv(user: TestUser, csv: string) {
  return fetch(`${server.url}/api/${user.id}/import`, {
    method: "POST",
    headers: { Authorization: `Bearer ${user.token}`, "Content-Type": "text/csv" },
    body: csv,
  });
}

const exportOf = (user: TestUser, method = "GET") =>
  fetch(`${server.url}/api/${user.id}/export`, { method, headers: { Authorization: `Bearer ${user.token}` } });

describe("import and export over HTTP", () => {
  it("the export is streamed (chunked, no Content-Length) as an attachment; HEAD has its headers and no body", async () => {
    const person = await signUpOver(server, "Streamer");
    expect((await importCsv(person, csvOf(30))).status).toBe(200);
    const response = await exportOf(person);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-length")).toBeNull();
    expect(response.headers.get("transfer-encoding")).toBe("chunked");
    expect(response.headers.get("content-disposition")).toMatch(
      /^attachment; filename="tasks-\d{4}-\d{2}-\d{2}\.json"$/,
    );
    expect(response.headers.get("cache-control")).toBe("no-store");
    const document = (await response.json()) as ExportDocument;
    expect(document.tasks.map((task) => task.title)).toEqual(Array.from({ length: 30 }, (_, n) => `Task ${n}`));
    const head = await exportOf(person, "HEAD");
    expect(head.status).toBe(200);
    expect(head.headers.get("content-disposition")).toMatch(/^attachment;/);
    expect(await head.text()).toBe("");
  });

  it("a declared body past 5 MiB is a 413 before it is read", async () => {
    const person = await signUpOver(server, "Oversize");
    const body = "x".repeat(5 * 1024 * 1024 + 1);
    const response = await importCsv(person, body);
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: string }).error).toBe("payload_too_large");
  });

  it("spends the API budget as its number of tasks: past it the import stops and reports the rest, or never starts", async () => {
    const person = await signUpOver(server, "Budget");
    // The request pays for one task; then 100 per call: 100 of 150 after the first call, the second does not fit.
    const response = await importCsv(person, csvOf(250));
    expect(response.status).toBe(200);
    const report = (await response.json()) as ImportReport;
    expect(report.imported.tasks).toBe(100);
    expect(report.refused).toHaveLength(150);
    for (const refusal of report.refused) expect(refusal.reason).toMatch(/^not imported: .*budget/);
    expect(report.refused.map((refusal) => refusal.row)).toEqual(Array.from({ length: 150 }, (_, n) => n + 2));
    expect(Number(response.headers.get("ratelimit-remaining"))).toBeLessThanOrEqual(API_LIMIT - 100);

    const refused = await importCsv(person, csvOf(100));
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toMatch(/^\d+$/);
    const document = (await (await exportOf(person)).json()) as ExportDocument;
    expect(document.tasks).toHaveLength(100);
  });
});
