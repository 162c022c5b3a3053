import { describe, expect, it } from "vitest";
import { db, transaction } from "@/lib/db";
import { call } from "../support/app.ts";
import { drain, feedNow, summary } from "../support/changes.ts";
import { createList, listPath, tagNamed, tagPath } from "../support/organise.ts";
import { createTask, expectJson, taskPath, tasksPath } from "../support/tasks.ts";
import { type TestUser, twoUsers } from "../support/users.ts";

/**
 * A write that does not commit leaves no event: the next committed change is the very next event after the token
 * taken before the failure (no event, and no gap where one was rolled back).
 */

const send = (user: TestUser, method: string, path: string, json?: unknown, headers?: Record<string, string>) =>
  call(method, path, { token: user.token, json, headers });

/** After `failing` (which must not commit), the next event after `since` is the marker task written afterwards. */
async function expectNothingRecorded(user: TestUser, failing: () => Promise<void>) {
  const since = await feedNow(user);
  await failing();
  expect((await drain(user, since)).events).toEqual([]);
  const marker = await createTask(user, { title: "Marker" });
  const { events } = await drain(user, since);
  expect(summary(events)).toEqual([`task.upserted ${marker.id}`]);
  expect(events[0]?.event_id).toBe(String(BigInt(since) + 1n));
}

describe("a write that is refused or rolled back records nothing", () => {
  it("a PATCH, PUT or DELETE whose If-Match is stale (412)", async () => {
    const [alice] = await twoUsers();
    const task = await createTask(alice, { title: "Guarded", tags: ["kept"] });
    await expectNothingRecorded(alice, async () => {
      const stale = { "If-Match": '"9"' };
      expect((await send(alice, "PATCH", taskPath(alice, task.id), { tags: ["new"] }, stale)).status).toBe(412);
      const put = { title: "Replaced", description: null, completed: true };
      expect((await send(alice, "PUT", taskPath(alice, task.id), put, stale)).status).toBe(412);
      expect((await send(alice, "DELETE", taskPath(alice, task.id), undefined, stale)).status).toBe(412);
    });
  });

  it("a create that breaks a constraint: another user's list (422)", async () => {
    const [alice, bob] = await twoUsers();
    const bobs = await createList(bob, "Bob's");
    await expectNothingRecorded(alice, async () => {
      const response = await send(alice, "POST", tasksPath(alice), { title: "Sneaky", list_id: bobs.id, tags: ["t"] });
      expect(response.status).toBe(422);
    });
  });

  it("a list deleted with its tasks moved, whose If-Match is stale: the tasks' moves are rolled back too (412)", async () => {
    const [alice] = await twoUsers();
    const list = await createList(alice, "Kept");
    await createTask(alice, { title: "Stays", list_id: list.id });
    await expectNothingRecorded(alice, async () => {
      const response = await send(alice, "DELETE", `${listPath(alice, list.id)}?tasks=move`, undefined, {
        "If-Match": '"5"',
      });
      expect(response.status).toBe(412);
    });
  });

  it("a tag renamed to another tag's name (409), and a list deleted while it holds tasks (409)", async () => {
    const [alice] = await twoUsers();
    const task = await createTask(alice, { title: "Both", tags: ["one", "two"] });
    const list = await createList(alice, "Full");
    await send(alice, "PATCH", taskPath(alice, task.id), { list_id: list.id });
    const one = await tagNamed(alice, "one");
    await expectNothingRecorded(alice, async () => {
      expect((await send(alice, "PATCH", tagPath(alice, one.id), { name: "TWO" })).status).toBe(409);
      expect((await send(alice, "DELETE", listPath(alice, list.id))).status).toBe(409);
    });
  });

  it("a transaction that fails after its writes, even at COMMIT once the feed's triggers have run", async () => {
    const [alice] = await twoUsers();
    await expectNothingRecorded(alice, async () => {
      const thrown = transaction(async (tx) => {
        await tx.task.create({ data: { title: "Never", userId: alice.id, position: "a0" } });
        await tx.taskList.create({ data: { name: "Never", nameKey: "never", position: "a0", userId: alice.id } });
        throw new Error("forced");
      });
      await expect(thrown).rejects.toThrow("forced");

      // A deferred check queued after the writes fails at COMMIT, after the feed's triggers wrote their events.
      const atCommit = transaction(async (tx) => {
        await tx.task.create({ data: { title: "Never either", userId: alice.id, position: "a0" } });
        await tx.$executeRawUnsafe("CREATE TEMP TABLE commit_fails (x int) ON COMMIT DROP");
        await tx.$executeRawUnsafe(
          "CREATE FUNCTION pg_temp.refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused at commit'; END $$",
        );
        await tx.$executeRawUnsafe(
          "CREATE CONSTRAINT TRIGGER refuse AFTER INSERT ON commit_fails DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION pg_temp.refuse()",
        );
        await tx.$executeRawUnsafe("INSERT INTO commit_fails VALUES (1)");
      });
      await expect(atCommit).rejects.toThrow(/refused at commit/);
    });
    expect(await db().task.count({ where: { userId: alice.id, title: { startsWith: "Never" } } })).toBe(0);
  });

  it("a write that changes nothing the feed shows: an unknown task (404)", async () => {
    const [alice] = await twoUsers();
    await expectNothingRecorded(alice, async () => {
      const response = await send(alice, "PATCH", taskPath(alice, crypto.randomUUID()), { completed: true });
      await expectJson(response, 404);
    });
  });
});
