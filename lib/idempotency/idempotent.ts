import "server-only";
import { userGone } from "../auth/bearer";
import { transaction } from "../db";
import { isLockTimeout, violatesForeignKey } from "../http/database-errors";
import { ApiError } from "../http/errors";
import { apiErrorResponse } from "../http/respond";
import { REPLAYED_HEADER, readIdempotencyKey, requestFingerprint } from "./key";
import { claimKey, recordAnswer, type StoredAnswer, sweepExpiredKeysNowAndThen } from "./store";

/** The headers of an answer that a replay gives back; the rest (request id, rate limit, CORS) are the replay's own. */
const REPLAYED_HEADERS = ["content-type", "location", "etag", "www-authenticate"];

/**
 * A keyed request and the key's wait can take as long as an atomic batch; a connection may take the pool's connect
 * timeout to come (lib/db.ts).
 */
const KEYED_TRANSACTION = { maxWait: 5_000, timeout: 30_000 };

const keyReused = () =>
  new ApiError(
    "idempotency_key_reused",
    "This Idempotency-Key was used in the last 24 hours for another request (method, path or body); use a new key.",
  );

const keyInUse = () =>
  new ApiError(
    "idempotency_key_in_use",
    "A request with this Idempotency-Key is still being processed; retry shortly.",
    {
      headers: { "Retry-After": "1" },
    },
  );

/** 2xx and 4xx answers are kept; a 5xx (the write did not happen) or a 429 (not yet attempted) leaves the key free. */
const isKept = (status: number) => status < 500 && status !== 429;

/** Thrown out of the key's transaction to roll the claim back, carrying the answer to give anyway. */
class Unkept extends Error {
  constructor(readonly response: Response) {
    super("answer not kept");
  }
}

async function stored(response: Response): Promise<StoredAnswer> {
  const headers: Record<string, string> = {};
  for (const name of REPLAYED_HEADERS) {
    const value = response.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  return { status: response.status, headers, body: await response.text() };
}

function replay({ status, headers, body }: StoredAnswer, replayed: boolean): Response {
  const response = new Response(body === "" ? null : body, { status, headers });
  if (replayed) response.headers.set(REPLAYED_HEADER, "true");
  return response;
}

/** The work's answer, a refusal (ApiError) included; anything else is thrown on (a 5xx: nothing is kept). */
async function answerOf(work: () => Promise<Response>): Promise<Response> {
  try {
    return await transaction(work);
  } catch (error) {
    if (error instanceof ApiError && isKept(error.status)) return apiErrorResponse(error);
    throw error;
  }
}

/**
 * Runs a POST's `work` under its `Idempotency-Key`, if it sent one (docs/decisions/0020-idempotency-and-batch.md).
 * The key is claimed by an INSERT in the transaction that `work`'s writes run in (through db()), and the answer is
 * recorded in it before the commit: the same key and request within 24 hours replays that answer without writing
 * again (`Idempotent-Replayed: true`); the same key with another request is a 422; a concurrent one waits for the
 * first's commit and replays it (a 409 if it waits too long). A 5xx or a crash rolls the claim back with the writes.
 * `body` is the request's parsed JSON body, part of what makes two requests the same.
 */
export async function idempotent(
  request: Request,
  userId: string,
  body: unknown,
  work: () => Promise<Response>,
): Promise<Response> {
  const key = readIdempotencyKey(request.headers);
  if (key === undefined) return work();
  sweepExpiredKeysNowAndThen();
  const requestHash = requestFingerprint(request, body);
  try {
    return await transaction(async () => {
      const claim = await claimKey(userId, key, requestHash);
      if (!claim.claimed) {
        if (claim.requestHash !== requestHash) throw keyReused();
        if (!claim.answer) throw keyInUse();
        return replay(claim.answer, true);
      }
      const response = await answerOf(work);
      if (!isKept(response.status)) throw new Unkept(response);
      const answer = await stored(response);
      await recordAnswer(userId, key, answer);
      return replay(answer, false);
    }, KEYED_TRANSACTION);
  } catch (error) {
    if (error instanceof Unkept) return error.response;
    if (isLockTimeout(error)) throw keyInUse();
    if (violatesForeignKey(error)) throw userGone();
    throw error;
  }
}
