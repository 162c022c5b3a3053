import "server-only";
import { db } from "../db";
import { ApiError } from "../http/errors";
import { findOrCreateList } from "../lists/repository";
import { ListName } from "../lists/schema";
import { createTagsNamed } from "../tags/names";
import { chargeOperations, executeBatch } from "../tasks/batch";
import type { BatchOperation } from "../tasks/batch-schema";
import { TagName } from "../tasks/schema";
import type { ImportPlan, PlannedTask } from "./plan";
import { IMPORT_BATCH_SIZE, type ImportReport, type Refusal } from "./schema";

const firstProblem = (result: { error?: { detail: string; fields?: { message: string }[] } }) =>
  result.error?.fields?.map((field) => field.message).join("; ") ?? result.error?.detail ?? "refused";

/** The plan's lists, found or made by name; a list that cannot be made is refused, and so are its tasks. */
async function importLists(userId: string, plan: ImportPlan, report: ImportReport): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const { key, name, where } of plan.lists) {
    const valid = ListName.safeParse(name);
    if (!valid.success) {
      report.refused.push({ ...where, kind: "list", reason: valid.error.issues[0]?.message ?? "not a list name" });
      continue;
    }
    try {
      const { list, created } = await findOrCreateList(userId, valid.data);
      ids.set(key, list.id);
      if (created) report.imported.lists++;
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      report.refused.push({ ...where, kind: "list", reason: error.message });
    }
  }
  return ids;
}

/** The plan's tags, made first so each keeps the file's spelling; a name no tag may have is left out. */
async function importTags(userId: string, plan: ImportPlan, report: ImportReport): Promise<void> {
  const names = plan.tags.filter((name) => TagName.safeParse(name).success).map((name) => name.trim());
  report.imported.tags = await createTagsNamed(db(), userId, names);
}

type Write = { task: PlannedTask; operation: BatchOperation };

/** The create operations, bottom first: each new task goes to the top of its list, so the plan's first ends first. */
function writesOf(plan: ImportPlan, lists: Map<string, string>, report: ImportReport): Write[] {
  const writes: Write[] = [];
  for (const task of plan.tasks.toReversed()) {
    const listId = task.listKey === null ? null : lists.get(task.listKey);
    if (listId === undefined) {
      report.refused.push({ ...task.where, kind: "task", reason: "its list was not imported" });
      continue;
    }
    writes.push({ task, operation: { op: "create", body: { ...task.body, list_id: listId } } });
  }
  return writes;
}

/**
 * Each call of the batch path costs its number of operations; the import request itself paid for the first task.
 * A 429 on the first call refuses the import before anything is written.
 */
const chargeCall = (userId: string, operations: number, first: boolean) =>
  chargeOperations(userId, first ? operations : operations + 1);

/**
 * The tasks through the batch path, 100 a call, each on its own (non-atomic). When the rate limit runs out after
 * the first call, the import stops there and the tasks not written are refused with the limiter's reason.
 */
async function importTasks(userId: string, writes: Write[], report: ImportReport) {
  for (let start = 0; start < writes.length; start += IMPORT_BATCH_SIZE) {
    const chunk = writes.slice(start, start + IMPORT_BATCH_SIZE);
    if (start > 0) {
      try {
        await chargeCall(userId, chunk.length, false);
      } catch (error) {
        if (!(error instanceof ApiError) || error.code !== "rate_limited") throw error;
        for (const { task } of writes.slice(start)) {
          report.refused.push({ ...task.where, kind: "task", reason: `not imported: ${error.message}` });
        }
        return;
      }
    }
    const results = await executeBatch(
      userId,
      chunk.map(({ operation }) => operation),
      { atomic: false },
    );
    results.forEach((result, at) => {
      const { task } = chunk[at] as Write;
      if (result.status < 300) report.imported.tasks++;
      else report.refused.push({ ...task.where, kind: "task", reason: firstProblem(result) });
    });
  }
}

/** Lists before the rest; then by row or index. */
const place = (entry: Refusal) => (entry.kind === "list" ? -1e9 : 0) + (entry.row ?? entry.index ?? -1);

/** Carries an import plan out: lists, then tags, then tasks; what it made, refused and noted. */
export async function runImport(userId: string, plan: ImportPlan): Promise<ImportReport> {
  const report: ImportReport = {
    imported: { lists: 0, tags: 0, tasks: 0 },
    refused: [...plan.refused],
    notes: plan.notes,
  };
  await chargeCall(userId, Math.min(plan.tasks.length, IMPORT_BATCH_SIZE), true);
  const lists = await importLists(userId, plan, report);
  await importTags(userId, plan, report);
  await importTasks(userId, writesOf(plan, lists, report), report);
  report.refused.sort((a, b) => place(a) - place(b));
  return report;
}
