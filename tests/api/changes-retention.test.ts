import { describe, expect, it } from "vitest";
import { CHANGE_RETENTION_DAYS } from "@/lib/changes/schema";
import { db } from "@/lib/db";
import { drain, feedNow, fetchChanges, readChanges, summary } from "../support/changes.ts";
import { createTask, expectError } from "../support/tasks.ts";
import { signUp, type TestUser } from "../support/users.ts";

/**
 * Events are kept CHANGE_RETENTION_DAYS days: older ones are deleted by the user's next write (a bounded batch at a
 * time), and a token whose following events are gone is a 410 that says to read the account again.
 */

/** Makes the user's events up to `through` look `days` old (the triggers stamp them at COMMIT). */
async function age(user: TestUser, through: string, days: number) {
  await db().$executeRaw`
    UPDATE changes SET created_at = created_at - make_interval(days => ${days})
    WHERE user_id = ${user.id} AND seq <= ${BigInt(through)}`;
}

const prunedThrough = async (user: TestUser) =>
  (await db().changeFeed.findUniqueOrThrow({ where: { userId: user.id } })).prunedThrough;

describe("retention", () => {
  it("is the same number of days in the database and in the documentation", async () => {
    const [row] = await db().$queryRaw<{ days: number }[]>`
      SELECT extract(day FROM changes_retention())::int AS days`;
    expect(row?.days).toBe(CHANGE_RETENTION_DAYS);
  });

  it("deletes events older than that at the next write; a token before them is a 410, one after them resumes", async () => {
    const person = await signUp("Forgetful");
    const origin = await feedNow(person);
    const old = [await createTask(person, { title: "Old 1" }), await createTask(person, { title: "Old 2" })];
    const boundary = (await drain(person, origin)).next;
    const young = await createTask(person, { title: "Young" });
    await age(person, boundary, CHANGE_RETENTION_DAYS + 1);
    // Not yet deleted: the feed still has them, and says so.
    expect((await drain(person, origin)).events).toHaveLength(3);

    const trigger = await createTask(person, { title: "Trigger" });
    expect(await prunedThrough(person)).toBe(BigInt(boundary));
    for (const since of [origin, String(BigInt(boundary) - 1n)]) {
      const body = await expectError(await fetchChanges(person, { since }), 410, "resync_required");
      expect(body.detail).toMatch(/no longer kept/);
      expect(body.detail).toMatch(/read your tasks, lists and tags again/);
    }
    expect(summary((await drain(person, boundary)).events)).toEqual([
      `task.upserted ${young.id}`,
      `task.upserted ${trigger.id}`,
    ]);
    expect(
      await db().change.count({ where: { userId: person.id, objectId: { in: old.map((task) => task.id) } } }),
    ).toBe(0);
    // Without since, a fresh token still works.
    expect((await readChanges(person, { since: await feedNow(person) })).events).toEqual([]);
  });

  it("keeps events a day younger than that", async () => {
    const person = await signUp("Keeper");
    const origin = await feedNow(person);
    await createTask(person, { title: "Almost old" });
    await age(person, (await drain(person, origin)).next, CHANGE_RETENTION_DAYS - 1);
    await createTask(person, { title: "Trigger" });
    expect(await prunedThrough(person)).toBe(0n);
    expect((await drain(person, origin)).events).toHaveLength(2);
  });

  it("deletes at most 1000 events a write, oldest first, and the rest at the next", async () => {
    const person = await signUp("Hoarder");
    const origin = await feedNow(person);
    await createTask(person, { title: "First" });
    // 1500 more old events of a task long gone, numbered after the first, as the triggers would have.
    await db().$executeRaw`
      INSERT INTO changes (user_id, seq, type, object_id, created_at)
      SELECT ${person.id}, n, 'task.deleted', gen_random_uuid(), now()
      FROM generate_series(${BigInt(origin) + 2n}::bigint, ${BigInt(origin) + 1501n}::bigint) AS n`;
    await age(person, String(BigInt(origin) + 1501n), CHANGE_RETENTION_DAYS + 5);

    await createTask(person, { title: "Second" });
    expect(await prunedThrough(person)).toBe(BigInt(origin) + 1000n);
    await createTask(person, { title: "Third" });
    expect(await prunedThrough(person)).toBe(BigInt(origin) + 1501n);
    const { events } = await drain(person, String(BigInt(origin) + 1501n));
    expect(events.map((event) => (event as { data: { title: string } }).data.title)).toEqual(["Second", "Third"]);
  });
});
