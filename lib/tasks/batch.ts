import "server-only";
import { randomUUID } from "node:crypto";
import { transaction, undoableAlone } from "../db";
import { ApiError } from "../http/errors";
import { parseIfMatch } from "../http/etag";
import { requestContext } from "../http/request-context";
import { apiErrorOf } from "../http/respond";
import { validate } from "../http/validate";
import { limitApiRequest } from "../rate-limit/limits";
import {
  BatchOperation,
  type BatchResult,
  type UncheckedBatchOperation,
  type ValidBatchOperation,
} from "./batch-schema";
import { createTask, deleteTask, patchTask, toTaskJson } from "./repository";

/** An atomic batch of 100 tasks with tags is a few hundred statements: more than Prisma's default 5 s on a slow day. */
const ATOMIC_BATCH_TIMEOUT_MS = 30_000;

/** One operation, through the same repository calls (and so the same rules) as the single-task routes. */
async function apply(userId: string, operation: ValidBatchOperation): Promise<BatchResult> {
  switch (operation.op) {
    case "create":
      return { status: 201, body: toTaskJson(await createTask(userId, operation.body)) };
    case "update": {
      const task = await patchTask(userId, operation.id, operation.body, parseIfMatch(operation.if_match));
      return { status: 200, body: toTaskJson(task) };
    }
    case "delete":
      await deleteTask(userId, operation.id, parseIfMatch(operation.if_match));
      return { status: 204 };
  }
}

const failed = (error: ApiError): BatchResult => ({ status: error.status, error: error.toBody() });

/** A failure of the database or a bug, as the operation's result: its cause is logged with the request id. */
function unexpected(error: unknown): ApiError {
  return apiErrorOf(error, requestContext()?.requestId ?? randomUUID());
}

const notApplied = (index: number, reason: string): BatchResult =>
  failed(new ApiError("not_applied", `Not applied: operations[${index}] ${reason}.`));

type Checked = { operation: ValidBatchOperation } | { refused: ApiError };

/** Each operation's body checked as its route checks it: a 422 of that operation alone. */
function check(operation: UncheckedBatchOperation): Checked {
  try {
    return { operation: validate(BatchOperation, operation) };
  } catch (error) {
    if (error instanceof ApiError) return { refused: error };
    throw error;
  }
}

class Abort extends Error {
  constructor(
    readonly index: number,
    readonly cause: unknown,
  ) {
    super("batch aborted");
  }
}

/**
 * All or nothing, in one transaction (a savepoint of the caller's, under an Idempotency-Key): the first failure
 * rolls every write back; it is reported, and every other operation is a 424 `not_applied`. Invalid bodies are all
 * found before anything is written.
 */
async function executeAtomically(userId: string, checked: Checked[]): Promise<BatchResult[]> {
  const invalid = checked.findIndex((entry) => "refused" in entry);
  if (invalid !== -1) {
    return checked.map((entry) =>
      "refused" in entry ? failed(entry.refused) : notApplied(invalid, "is invalid and the batch is atomic"),
    );
  }
  // None refused: every entry is an operation, at its own index.
  const operations = checked.flatMap((entry) => ("operation" in entry ? [entry.operation] : []));
  try {
    return await transaction(
      async () => {
        const results: BatchResult[] = [];
        for (const [index, operation] of operations.entries()) {
          try {
            results.push(await apply(userId, operation));
          } catch (error) {
            throw new Abort(index, error);
          }
        }
        return results;
      },
      { timeout: ATOMIC_BATCH_TIMEOUT_MS },
    );
  } catch (error) {
    if (!(error instanceof Abort)) throw error;
    const cause = error.cause instanceof ApiError ? error.cause : unexpected(error.cause);
    return checked.map((_, index) =>
      index === error.index ? failed(cause) : notApplied(error.index, "failed and the batch is atomic"),
    );
  }
}

/**
 * Each operation on its own, in order: it commits (or fails) as the single-task request would. Under an
 * Idempotency-Key the whole batch is one transaction with a savepoint per operation, so a refused one undoes only
 * itself. After a failure of the database or a bug, the rest are not attempted.
 */
async function executeEach(userId: string, checked: Checked[]): Promise<BatchResult[]> {
  const results: BatchResult[] = [];
  let stoppedAt: number | undefined;
  for (const [index, entry] of checked.entries()) {
    if (stoppedAt !== undefined) {
      results.push(notApplied(stoppedAt, "failed on the server's side, so the rest were not attempted"));
    } else if ("refused" in entry) {
      results.push(failed(entry.refused));
    } else {
      try {
        results.push(await undoableAlone(() => apply(userId, entry.operation)));
      } catch (error) {
        if (!(error instanceof ApiError)) stoppedAt = index;
        results.push(failed(error instanceof ApiError ? error : unexpected(error)));
      }
    }
  }
  return results;
}

/**
 * Applies a user's task operations in order (sequentially: a later one may rely on an earlier one's effect, and a
 * batch holds one database connection), one result per operation, each what the single-task route would answer.
 * `atomic`: all of them or none.
 */
export async function executeBatch(
  userId: string,
  operations: readonly UncheckedBatchOperation[],
  { atomic }: { atomic: boolean },
): Promise<BatchResult[]> {
  const checked = operations.map(check);
  return atomic ? executeAtomically(userId, checked) : executeEach(userId, checked);
}

/** A batch costs one request of the API budget per operation (the request itself paid for the first): 429 beforehand. */
export async function chargeOperations(userId: string, count: number): Promise<void> {
  if (count > 1) await limitApiRequest(userId, count - 1);
}
