import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { expect } from "vitest";
import type { WebhookCreatedJson } from "@/lib/webhooks/schema";
import { call } from "./app.ts";
import { sleep } from "./requests.ts";
import { expectJson } from "./tasks.ts";
import type { TestUser } from "./users.ts";

export const webhooksPath = (user: { id: string }) => `/api/${user.id}/webhooks`;
export const webhookPath = (user: { id: string }, id: string) => `/api/${user.id}/webhooks/${id}`;

export type Received = { headers: IncomingHttpHeaders; body: string; status: number };

/**
 * A real HTTP receiver on 127.0.0.1 (a node:http server), as an integrator's would be: it answers `answer(n)` to the
 * n-th request (0-based; 200 by default; a promise holds the answer back) and records each request it has answered.
 */
export async function startReceiver(answer: (n: number) => number | Promise<number> = () => 200) {
  const received: Received[] = [];
  let arrived = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", async () => {
      const status = await answer(arrived++);
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString("utf8"), status });
      response.writeHead(status, { "Content-Type": "text/plain" }).end(status < 300 ? "ok" : "no");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    /** Requests that have arrived, answered or not. */
    arrived: () => arrived,
    /** Waits (up to `ms`) until `done()` holds; the test's own assertions then say what arrived. */
    async until(done: () => boolean, ms = 15_000) {
      const deadline = Date.now() + ms;
      while (!done() && Date.now() < deadline) await sleep(20);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export async function registerWebhook(user: TestUser, body: Record<string, unknown>): Promise<WebhookCreatedJson> {
  const response = await call("POST", webhooksPath(user), { token: user.token, json: body });
  return expectJson<WebhookCreatedJson>(response, 201);
}

type Verify = (secret: string, header: string, body: string, nowSeconds?: number) => boolean;

/** The README's verification snippet itself, loaded as the module a reader would save it as. */
export async function readmeVerifier(): Promise<Verify> {
  const readme = await readFile(path.join(import.meta.dirname, "../../README.md"), "utf8");
  const snippet = readme.match(/```js\n(\/\/ verify-webhook\.mjs[\s\S]*?)```/)?.[1];
  expect(snippet, "README.md has the verify-webhook.mjs snippet").toBeDefined();
  const file = path.join(await mkdtemp(path.join(tmpdir(), "verify-webhook-")), "verify-webhook.mjs");
  await writeFile(file, snippet ?? "");
  const module = (await import(pathToFileURL(file).href)) as { verifyWebhook: Verify };
  return module.verifyWebhook;
}
