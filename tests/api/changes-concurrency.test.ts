import pg from "pg";
import { describe, expect, inject, it } from "vitest";
import type { ChangeEvent } from "@/lib/changes/schema";
import type { TaskJson } from "@/lib/tasks/schema";
import { call } from "../support/app.ts";
import { accountOf, apply, drain, emptyMirror, feedNow, plain, summary } from "../support/changes.ts";
import { createTask, expectJson, taskPath } from "../support/tasks.ts";
import { signUp, type TestUser } from "../support/users.ts";

/**
 * 50 writers at once, all one user's: the feed numbers their commits with no gap and no repeat, a follower reading
 * while they write never skips one (a plain sequence would let it see 11 before 10 commits), and replaying the feed
 * gives the account exactly.
 */

const WRITERS = 50;

const patch = (user: TestUser, taskId: string, body: unknown) =>
  call("PATCH", taskPath(user, taskId), { token: user.token, json: body });

/** The write's answer, kept to compare with its event: a task (by id and version), or a deletion. */
type Written = { kind: "task"; task: TaskJson } | { kind: "deleted"; id: string };

async function write(user: TestUser, tasks: TaskJson[], index: number): Promise<Written[]> {
  const task = tasks[index % tasks.length] as TaskJson;
  switch (index % 5) {
    case 0: {
      const response = await call("DELETE", taskPath(user, task.id), { token: user.token });
      expect(response.status).toBe(204);
      return [{ kind: "deleted", id: task.id }];
    }
    case 1:
      return [{ kind: "task", task: await expectJson<TaskJson>(await patch(user, task.id, { completed: true }), 200) }];
    case 2: {
      // Tags made and shared by concurrent writers.
      const body = { tags: [`tag ${index % 4}`, `tag ${(index + 1) % 4}`] };
      return [{ kind: "task", task: await expectJson<TaskJson>(await patch(user, task.id, body), 200) }];
    }
    case 3: {
      // Several writes of one task at once, the last committed wins: the feed must say which.
      const answers = await Promise.all(
        ["a", "b", "c"].map((suffix) => patch(user, task.id, { title: `${task.title} ${suffix}` })),
      );
      const written = await Promise.all(answers.map((answer) => expectJson<TaskJson>(answer, 200)));
      return written.map((one) => ({ kind: "task" as const, task: one }));
    }
    default:
      return [{ kind: "task", task: await createTask(user, { title: `New ${index}`, tags: [`tag ${index % 4}`] }) }];
  }
}

const key = (written: Written) =>
  written.kind === "deleted" ? `deleted ${written.id}` : `${written.task.id} v${written.task.version}`;

const eventKey = (event: ChangeEvent) =>
  event.type === "task.deleted" ? `deleted ${event.id}` : `${event.id} v${(event as { data: TaskJson }).data.version}`;

describe("50 concurrent writers of one user", () => {
  it("every change is in the feed exactly once, numbered with no gap, and a follower never misses one", async () => {
    const person = await signUp("Crowd");
    const origin = await feedNow(person);
    const tasks = await Promise.all(
      Array.from({ length: WRITERS }, (_, i) => createTask(person, { title: `Task ${i}`, tags: [`tag ${i % 4}`] })),
    );

    // A follower reads the feed while the writers write, and applies what it reads, as a client would.
    const followed: ChangeEvent[] = [];
    let next = origin;
    let writing = true;
    const follower = (async () => {
      for (let round = 0; writing || round === 0; round++) {
        const page = await drain(person, next, 7);
        followed.push(...page.events);
        next = page.next;
      }
    })();
    const written = (await Promise.all(Array.from({ length: WRITERS }, (_, i) => write(person, tasks, i)))).flat();
    writing = false;
    await follower;
    const rest = await drain(person, next, 7);
    followed.push(...rest.events);

    const { events } = await drain(person, origin);
    expect(followed).toEqual(events);
    const numbers = events.map((event) => BigInt(event.event_id));
    expect(numbers).toEqual(numbers.map((_, index) => BigInt(origin) + BigInt(index) + 1n));

    // Every task write, and only those, is one task event whose data is the write's answer.
    const taskEvents = events.filter((event) => event.type.startsWith("task."));
    const writes = [...tasks.map((task): Written => ({ kind: "task", task })), ...written];
    expect(taskEvents.map(eventKey).sort()).toEqual(writes.map(key).sort());
    const answers = new Map(writes.flatMap((one) => (one.kind === "task" ? [[key(one), one.task] as const] : [])));
    for (const event of taskEvents) {
      if (event.type === "task.upserted") expect(event.data).toEqual(answers.get(eventKey(event)));
    }

    const mirror = plain(apply(emptyMirror(), followed));
    const account = plain(await accountOf(person));
    expect(mirror).toEqual(account);
    // A fifth of the writers deleted a task and a fifth made one.
    expect(account.tasks).toHaveLength(WRITERS);
    expect(account.tags.map((tag) => tag.name).sort()).toEqual(["tag 0", "tag 1", "tag 2", "tag 3"]);
  }, 60_000);
});

// Two transactions open at once need a real PostgreSQL server (the embedded one serves one at a time).
describe.skipIf(!inject("templateDatabase"))(
  "events are numbered when their transaction commits, not when it writes",
  () => {
    it("a transaction that wrote first and commits last comes after, and a reader between the commits misses nothing", async () => {
      const person = await signUp("Slow and fast");
      const origin = await feedNow(person);
      const [slow, fast] = [new pg.Client(process.env.DATABASE_URL), new pg.Client(process.env.DATABASE_URL)];
      await Promise.all([slow.connect(), fast.connect()]);
      const insert = (client: pg.Client, title: string) =>
        client.query<{ id: string }>(
          "INSERT INTO tasks (title, user_id, position) VALUES ($1, $2, 'a0') RETURNING id::text AS id",
          [title, person.id],
        );
      try {
        await slow.query("BEGIN");
        const a = (await insert(slow, "Written first")).rows[0]?.id;
        await fast.query("BEGIN");
        const b = (await insert(fast, "Written second")).rows[0]?.id;
        await fast.query("COMMIT");

        const between = await drain(person, origin);
        expect(summary(between.events)).toEqual([`task.upserted ${b}`]);
        await slow.query("COMMIT");
        expect(summary((await drain(person, between.next)).events)).toEqual([`task.upserted ${a}`]);
        expect(summary((await drain(person, origin)).events)).toEqual([`task.upserted ${b}`, `task.upserted ${a}`]);
      } finally {
        await Promise.all([slow.end(), fast.end()]);
      }
    });
  },
);
