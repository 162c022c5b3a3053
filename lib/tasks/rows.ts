import "server-only";
import { Prisma, type Task } from "../generated/prisma/client";

/** A task as every read loads it: its row, and its tags' names. */
export type StoredTask = Task & { tags: string[] };

type Client = Pick<Prisma.TransactionClient, "$queryRaw">;

/** A column a write sets, and the SQL of its new value (a bound parameter, cast where PostgreSQL cannot infer it). */
export type Assignment = [column: string, value: Prisma.Sql];

// Prisma's `include` of the tags costs three statements (the task, task_tags, then tags) and a transaction around a
// write; these statements read or write a task and its tags' names in one round-trip (docs/decisions/0017).
// Each one names its row `t`: the table, or the CTE of the row an INSERT or UPDATE returned.
const TASK_COLUMNS = Prisma.sql`t.id, t.title, t.description, t.completed, t.created_at AS "createdAt",
  t.updated_at AS "updatedAt", t.version, t.user_id AS "userId", t.list_id AS "listId", t.due_date AS "dueDate",
  t.due_time AS "dueTime", t.priority, t.position`;
const TAG_NAMES = Prisma.sql`ARRAY(SELECT g.name FROM task_tags tt JOIN tags g ON g.id = tt.tag_id
  WHERE tt.task_id = t.id) AS tags`;
const NO_TAGS = Prisma.sql`'{}'::text[] AS tags`;

const list = (parts: Prisma.Sql[]) => Prisma.join(parts, ", ");

/** The user's task with its tags, or undefined: another user's task is a missing one. */
export async function readTask(client: Client, userId: string, taskId: string): Promise<StoredTask | undefined> {
  const rows = await client.$queryRaw<StoredTask[]>`
    SELECT ${TASK_COLUMNS}, ${TAG_NAMES} FROM tasks t WHERE t.id = ${taskId}::uuid AND t.user_id = ${userId}`;
  return rows[0];
}

/** INSERT … RETURNING the new task (which has no tags yet). */
export async function insertTask(client: Client, assignments: Assignment[]): Promise<StoredTask> {
  const names = list(assignments.map(([column]) => Prisma.raw(column)));
  const values = list(assignments.map(([, value]) => value));
  const rows = await client.$queryRaw<StoredTask[]>`
    WITH t AS (INSERT INTO tasks (${names}) VALUES (${values}) RETURNING *) SELECT ${TASK_COLUMNS}, ${NO_TAGS} FROM t`;
  return rows[0] as StoredTask;
}

export type TaskUpdate = {
  userId: string;
  taskId: string;
  assignments: Assignment[];
  /** If-Match: the row must have one of these versions. */
  versions?: number[];
  /** Removes all the task's tags in the same statement (a PUT without tags). */
  clearTags?: boolean;
};

/**
 * UPDATE … WHERE id, user_id [, version] … RETURNING the task with its tags, which also sets the next version (a new
 * ETag) and `updated_at`. Undefined when no row matched.
 */
export async function updateTask(client: Client, update: TaskUpdate): Promise<StoredTask | undefined> {
  const { userId, taskId, assignments, versions, clearTags } = update;
  const set = list([
    ...assignments.map(([column, value]) => Prisma.sql`${Prisma.raw(column)} = ${value}`),
    Prisma.sql`version = version + 1`,
    Prisma.sql`updated_at = ${new Date()}`,
  ]);
  const version = versions ? Prisma.sql`AND version = ANY(${versions}::int[])` : Prisma.empty;
  const clear = clearTags
    ? Prisma.sql`, cleared AS (DELETE FROM task_tags WHERE task_id IN (SELECT id FROM t))`
    : Prisma.empty;
  // A CTE's DELETE is not visible to the statement's own reads: the tag names come from before it, hence NO_TAGS.
  const rows = await client.$queryRaw<StoredTask[]>`
    WITH t AS (UPDATE tasks SET ${set} WHERE id = ${taskId}::uuid AND user_id = ${userId} ${version} RETURNING *)${clear}
    SELECT ${TASK_COLUMNS}, ${clearTags ? NO_TAGS : TAG_NAMES} FROM t`;
  return rows[0];
}

/** The position at the top of a list (the inbox when null), or null when it is empty. */
export async function topPosition(client: Client, userId: string, listId: string | null): Promise<string | null> {
  const inList = listId === null ? Prisma.sql`list_id IS NULL` : Prisma.sql`list_id = ${listId}::uuid`;
  const rows = await client.$queryRaw<{ position: string }[]>`
    SELECT position FROM tasks WHERE user_id = ${userId} AND ${inList} ORDER BY position, id LIMIT 1`;
  return rows[0]?.position ?? null;
}

/** One keyset page of a list's tasks (the Inbox when null) in manual order, after the task at `after`, if any. */
export async function readTasksInOrder(
  client: Client,
  userId: string,
  listId: string | null,
  after: { position: string; id: string } | undefined,
  limit: number,
): Promise<StoredTask[]> {
  const inList = listId === null ? Prisma.sql`t.list_id IS NULL` : Prisma.sql`t.list_id = ${listId}::uuid`;
  const afterKey = after ? Prisma.sql`AND (t.position, t.id) > (${after.position}, ${after.id}::uuid)` : Prisma.empty;
  return client.$queryRaw<StoredTask[]>`
    SELECT ${TASK_COLUMNS}, ${TAG_NAMES} FROM tasks t WHERE t.user_id = ${userId} AND ${inList} ${afterKey}
    ORDER BY t.position, t.id LIMIT ${limit}`;
}
