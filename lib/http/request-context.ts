import { AsyncLocalStorage } from "node:async_hooks";
import type { RateLimitDecision } from "../rate-limit/limiter";

/** What one API request learns on its way through, for its response headers and its log line. */
export type RequestContext = {
  readonly requestId: string;
  readonly startedAt: number;
  userId?: string;
  rateLimit?: RateLimitDecision;
};

const storage = new AsyncLocalStorage<RequestContext>();

export function runInRequestContext<T>(context: RequestContext, run: () => Promise<T>): Promise<T> {
  return storage.run(context, run);
}

/** The current API request's context; undefined outside one (e.g. a page render or a script). */
export function requestContext(): RequestContext | undefined {
  return storage.getStore();
}
