import "server-only";
import { db } from "../db";
import { requestContext } from "../http/request-context";
import { listLists, toListJson } from "../lists/repository";
import { log } from "../log";
import { listTags, toTagJson } from "../tags/repository";
import { toTaskJson } from "../tasks/repository";
import { readTasksInOrder } from "../tasks/rows";
import type { TaskJson } from "../tasks/schema";
import { csvRecord, UTF8_BOM } from "./csv";
import {
  CSV_COLUMNS,
  EXPORT_FORMAT,
  EXPORT_PAGE_SIZE,
  EXPORT_VERSION,
  type ExportDocument,
  type ExportFormat,
} from "./schema";

/** The user's tasks, the Inbox's first, then each list's in the lists' order, each in manual order, page by page. */
async function* tasksInOrder(userId: string, listIds: string[]): AsyncGenerator<TaskJson[]> {
  for (const listId of [null, ...listIds]) {
    let after: { position: string; id: string } | undefined;
    for (;;) {
      const page = await readTasksInOrder(db(), userId, listId, after, EXPORT_PAGE_SIZE);
      if (page.length > 0) yield page.map(toTaskJson);
      const last = page.at(-1);
      if (!last || page.length < EXPORT_PAGE_SIZE) break;
      after = { position: last.position, id: last.id };
    }
  }
}

/**
 * The chunks as a byte stream, read as the client reads. A failure once the answer has begun (the database gone
 * mid-export) can only cut the file short: it is logged with the request id, and the body ends in an error.
 */
function streamOf(chunks: AsyncGenerator<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const requestId = requestContext()?.requestId;
  return new ReadableStream({
    async pull(controller) {
      try {
        const { done, value } = await chunks.next();
        if (done) controller.close();
        else controller.enqueue(encoder.encode(value));
      } catch (error) {
        log("error", "export cut short", {
          request_id: requestId,
          error: error instanceof Error ? (error.stack ?? error.message) : String(error),
        });
        controller.error(error);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}

type Header = Omit<ExportDocument, "tasks">;

async function* jsonChunks(header: Header, pages: AsyncGenerator<TaskJson[]>): AsyncGenerator<string> {
  yield `${JSON.stringify(header).slice(0, -1)},"tasks":[`;
  let first = true;
  for await (const page of pages) {
    let chunk = "";
    for (const task of page) {
      chunk += `${first ? "" : ","}\n${JSON.stringify(task)}`;
      first = false;
    }
    yield chunk;
  }
  yield "\n]}\n";
}

async function* csvChunks(listNames: Map<string, string>, pages: AsyncGenerator<TaskJson[]>): AsyncGenerator<string> {
  yield UTF8_BOM + csvRecord([...CSV_COLUMNS]);
  for await (const page of pages) {
    yield page
      .map((task) =>
        csvRecord([
          task.title,
          task.description ?? "",
          String(task.completed),
          task.list_id === null ? "" : (listNames.get(task.list_id) ?? ""),
          task.tags.join(", "),
          task.due_date ?? "",
          task.due_time ?? "",
          task.priority,
          task.created_at,
          task.updated_at,
          task.id,
        ]),
      )
      .join("");
  }
}

/**
 * All of a user's tasks, lists and tags as a stream of the JSON document or the CSV. The lists and tags are read
 * before it starts (so an unreachable database is a 503, not a cut-off file); the tasks as the stream is read.
 */
export async function exportTasks(userId: string, format: ExportFormat, now = new Date()) {
  const [lists, tags] = await Promise.all([listLists(userId), listTags(userId)]);
  const pages = tasksInOrder(
    userId,
    lists.map((list) => list.id),
  );
  const body =
    format === "json"
      ? jsonChunks(
          {
            format: EXPORT_FORMAT,
            version: EXPORT_VERSION,
            exported_at: now.toISOString(),
            lists: lists.map(toListJson),
            tags: tags.map(toTagJson),
          },
          pages,
        )
      : csvChunks(new Map(lists.map((list) => [list.id, list.name])), pages);
  return {
    stream: streamOf(body),
    contentType: format === "json" ? "application/json" : "text/csv; charset=utf-8; header=present",
    filename: `tasks-${now.toISOString().slice(0, 10)}.${format}`,
  };
}
