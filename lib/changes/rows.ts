import "server-only";
import { z } from "zod";
import type { TaskList } from "../generated/prisma/client";
import { toListJson } from "../lists/repository";
import { toTagJson } from "../tags/repository";
import { dateColumn, type StoredTask, timeColumn, toTaskJson } from "../tasks/repository";
import type { ChangeEvent, ChangeType } from "./schema";
import { encodeToken } from "./token";

// What the migration's triggers store in `changes.data`: the row as `to_jsonb` writes it (snake_case columns,
// timestamps with an offset, a TIME as HH:MM:SS), with a task's tag names and a tag's task count. These schemas turn
// it into the values Prisma reads, so the API's own toTaskJson, toListJson and toTagJson make an event's `data`, and
// it is exactly what a GET of the object answers. A row that does not parse is a bug (a 500), not a silent gap.

const Instant = z.string().transform((value) => new Date(value));

const TaskRow = z
  .object({
    id: z.string(),
    title: z.string(),
    description: z.string().nullable(),
    completed: z.boolean(),
    created_at: Instant,
    updated_at: Instant,
    version: z.number(),
    user_id: z.string(),
    list_id: z.string().nullable(),
    due_date: z.string().nullable(),
    due_time: z.string().nullable(),
    priority: z.number(),
    position: z.string(),
    tags: z.array(z.string()),
  })
  .transform(
    (row): StoredTask => ({
      id: row.id,
      title: row.title,
      description: row.description,
      completed: row.completed,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      version: row.version,
      userId: row.user_id,
      listId: row.list_id,
      dueDate: row.due_date === null ? null : dateColumn(row.due_date),
      // to_jsonb writes a time(0) as HH:MM:SS; its seconds are always 00 (the API takes HH:MM).
      dueTime: row.due_time === null ? null : timeColumn(row.due_time.slice(0, 5)),
      priority: row.priority,
      position: row.position,
      tags: row.tags,
    }),
  );

const ListRow = z
  .object({
    id: z.string(),
    name: z.string(),
    name_key: z.string(),
    position: z.string(),
    created_at: Instant,
    updated_at: Instant,
    version: z.number(),
    user_id: z.string(),
  })
  .transform(
    (row): TaskList => ({
      id: row.id,
      name: row.name,
      nameKey: row.name_key,
      position: row.position,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      version: row.version,
      userId: row.user_id,
    }),
  );

const TagRow = z
  .object({ id: z.string(), name: z.string(), task_count: z.number() })
  .transform((row) => ({ id: row.id, name: row.name, _count: { tasks: row.task_count } }));

const DATA = {
  "task.upserted": (data: unknown) => toTaskJson(TaskRow.parse(data)),
  "list.upserted": (data: unknown) => toListJson(ListRow.parse(data)),
  "tag.upserted": (data: unknown) => toTagJson(TagRow.parse(data)),
};

const DELETED = new Set<string>(["task.deleted", "list.deleted", "tag.deleted"]);

export type StoredChange = { seq: bigint; type: string; object_id: string; data: unknown };

/** An event of the `changes` table as the API answers it. */
export function toChangeEvent(change: StoredChange): ChangeEvent {
  const type = change.type as ChangeType;
  const base = { event_id: encodeToken(change.seq), id: change.object_id };
  if (type in DATA) return { ...base, type, data: DATA[type as keyof typeof DATA](change.data) } as ChangeEvent;
  if (DELETED.has(type)) return { ...base, type } as ChangeEvent;
  throw new Error(`changes row ${change.seq} has an unknown type ${change.type}`);
}
