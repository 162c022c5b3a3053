import { request as httpRequest } from "node:http";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { signUpOver, startServer } from "../support/server.ts";

/**
 * A POST whose body is sent in two halves: the first now (the server is then in the middle of the request), the rest
 * when `finish` is called. Resolves with the status and body.
 */
function halfSentCreate(url: string, path: string, token: string, title: string) {
  const body = JSON.stringify({ title });
  const split = Math.floor(body.length / 2);
  const target = new URL(path, url);
  let finish: () => void = () => {};
  const done = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const request = httpRequest(
      {
        host: target.hostname,
        port: Number(target.port),
        path: target.pathname,
        method: "POST",
        headers: {
          Authorization: `Bearer ${token}`,
          "Content-Type": "application/json",
          "Content-Length": String(Buffer.byteLength(body)),
        },
      },
      (response) => {
        let text = "";
        response.setEncoding("utf8").on("data", (chunk: string) => {
          text += chunk;
        });
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body: text }));
      },
    );
    request.on("error", reject);
    request.write(body.slice(0, split));
    finish = () => request.end(body.slice(split));
  });
  return { done, finish: () => finish() };
}

describe("Graceful shutdown", () => {
  it("SIGTERM under load lets in-flight requests finish (every one answered 201 and stored), then exits 0", async () => {
    const server = await startServer();
    const alice = await signUpOver(server, "Alice");
    const path = `/api/${alice.id}/tasks`;
    // Load: a stream of reads that keeps going through the signal.
    let reading = true;
    const readStatuses: number[] = [];
    const readers = Array.from({ length: 4 }, async () => {
      while (reading) {
        try {
          const response = await fetch(`${server.url}${path}`, { headers: { Authorization: `Bearer ${alice.token}` } });
          readStatuses.push(response.status);
          await response.arrayBuffer();
        } catch {
          // After the signal new connections are refused: that is the point.
          break;
        }
      }
    });
    const inFlight = Array.from({ length: 10 }, (_, i) =>
      halfSentCreate(server.url, path, alice.token, `In flight ${i}`),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));

    server.process.kill("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const request of inFlight) request.finish();
    const answers = await Promise.all(inFlight.map((request) => request.done));
    reading = false;
    await Promise.all(readers);

    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 201));
    expect(readStatuses.length).toBeGreaterThan(0);
    expect(readStatuses.every((status) => status === 200)).toBe(true);
    expect(await server.exited).toBe(0);
    expect(server.output.some((line) => line.includes('"msg":"stopped"'))).toBe(true);

    const client = new pg.Client({ connectionString: server.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query("SELECT title FROM tasks WHERE user_id = $1 ORDER BY title", [alice.id]);
      expect(rows.map((row: { title: string }) => row.title)).toEqual(
        Array.from({ length: 10 }, (_, i) => `In flight ${i}`).sort(),
      );
    } finally {
      await client.end();
    }
  }, 60_000);
});
