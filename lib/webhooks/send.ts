import "server-only";
import http from "node:http";
import https from "node:https";
import { checkedLookup, checkUrlShape } from "./address";
import { SEND_TIMEOUT_MS } from "./schema";

const USER_AGENT = "TasksWebhooks/1";

export type SendOutcome = { status: number | null; error: string | null; durationMs: number };

const errorText = (error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  return message.slice(0, 500);
};

/**
 * POSTs one delivery. The destination rules apply to the address actually connected to (checkedLookup); redirects
 * are not followed (a 3xx is a failed attempt, like any answer but a 2xx); the answer's body is not read.
 */
export function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  allowLoopback: boolean,
): Promise<SendOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    let settled = false;
    const finish = (status: number | null, error: string | null) => {
      if (settled) return;
      settled = true;
      resolve({ status, error, durationMs: elapsed() });
    };
    let target: URL;
    try {
      target = new URL(url);
      checkUrlShape(target, allowLoopback);
    } catch (error) {
      return finish(null, errorText(error));
    }
    const client = target.protocol === "https:" ? https : http;
    const request = client.request(target, {
      method: "POST",
      lookup: checkedLookup(allowLoopback) as never,
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
      agent: false,
      headers: {
        ...headers,
        "Content-Type": "application/json",
        "Content-Length": String(Buffer.byteLength(body)),
        "User-Agent": USER_AGENT,
      },
    });
    request.on("response", (response) => {
      const status = response.statusCode ?? 0;
      response.destroy();
      request.destroy();
      finish(status, status >= 200 && status < 300 ? null : `the endpoint answered ${status}`);
    });
    request.on("error", (error) => {
      const timedOut = error.name === "AbortError" || error.name === "TimeoutError";
      finish(null, timedOut ? `no answer within ${SEND_TIMEOUT_MS / 1000} s` : errorText(error));
    });
    request.end(body);
  });
}
