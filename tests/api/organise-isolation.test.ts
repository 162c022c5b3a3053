import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { ListJson } from "@/lib/lists/schema";
import type { TagJson } from "@/lib/tags/schema";
import type { TaskJson } from "@/lib/tasks/schema";
import { call } from "../support/app.ts";
import { createList, listPath, listsOf, listsPath, tagNamed, tagPath, tagsOf, tagsPath } from "../support/organise.ts";
import { expectUnchanged, expectValidationError } from "../support/requests.ts";
import { createTask, expectError, listTasks } from "../support/tasks.ts";
import { type TestUser, twoUsers } from "../support/users.ts";

let alice: TestUser;
let bob: TestUser;
let alicesList: ListJson;
let alicesTag: TagJson;
let alicesTask: TaskJson;
let bobsList: ListJson;

/** Bob, with his own token, on his own paths, naming Alice's ids. */
const asBob = (method: string, path: string, json?: unknown, headers?: Record<string, string>) =>
  call(method, path, { token: bob.token, json, headers });

/** What Alice has; after each of Bob's attempts it must read back exactly the same. */
async function alicesData() {
  return { lists: await listsOf(alice), tags: await tagsOf(alice), tasks: await listTasks(alice) };
}

beforeAll(async () => {
  [alice, bob] = await twoUsers();
  alicesList = await createList(alice, "Surprise party");
  await createList(alice, "Work");
  alicesTask = await createTask(alice, { title: "Order the cake", list_id: alicesList.id, tags: ["secret", "party"] });
  alicesTag = await tagNamed(alice, "secret");
  bobsList = await createList(bob, "Bob's errands");
  await createTask(bob, { title: "Buy a gift", tags: ["shopping"] });
});

describe("Bob cannot reach Alice's lists", () => {
  it("reading one is the same 404 as a list that does not exist", async () => {
    const missing = await expectError(await asBob("GET", listPath(bob, randomUUID())), 404, "not_found");
    const foreign = await expectError(await asBob("GET", listPath(bob, alicesList.id)), 404, "not_found");
    expect(foreign).toEqual(missing);
  });

  it("renaming, moving or deleting one (in every mode, with or without If-Match) is 404, and nothing of hers changes", async () => {
    const before = await alicesData();
    const path = listPath(bob, alicesList.id);
    const attempts = [
      await asBob("PATCH", path, { name: "Mine now" }),
      await asBob("PATCH", path, { name: "Mine now" }, { "If-Match": '"1"' }),
      await asBob("POST", `${path}/move`, { after: bobsList.id }),
      await asBob("DELETE", path),
      await asBob("DELETE", `${path}?tasks=move`),
      await asBob("DELETE", `${path}?tasks=delete`),
      await asBob("DELETE", `${path}?tasks=delete`, undefined, { "If-Match": '"1"' }),
    ];
    for (const response of attempts) await expectError(response, 404, "not_found");
    expect(await alicesData()).toEqual(before);
    await expectUnchanged(alice, alicesTask);
  });

  it("moving his own list before or after hers is 422 naming the field, and his list stays put", async () => {
    const before = await listsOf(bob);
    const move = `${listPath(bob, bobsList.id)}/move`;
    await expectValidationError(await asBob("POST", move, { before: alicesList.id }), "before");
    await expectValidationError(await asBob("POST", move, { after: alicesList.id }), "after");
    expect(await listsOf(bob)).toEqual(before);
  });

  it("his list of lists holds only his own, and he may use a name she has", async () => {
    const own = await createList(bob, "surprise party");
    expect((await listsOf(bob)).map((list) => list.id)).toEqual([bobsList.id, own.id]);
  });

  it("Alice's paths are 403 forbidden with his token, whatever the method", async () => {
    const before = await alicesData();
    await expectError(await asBob("GET", listsPath(alice)), 403, "forbidden");
    await expectError(await asBob("POST", listsPath(alice), { name: "Planted" }), 403, "forbidden");
    await expectError(await asBob("GET", listPath(alice, alicesList.id)), 403, "forbidden");
    await expectError(await asBob("DELETE", `${listPath(alice, alicesList.id)}?tasks=delete`), 403, "forbidden");
    expect(await alicesData()).toEqual(before);
  });
});

describe("Bob cannot reach Alice's tags", () => {
  it("reading, renaming or deleting one is 404, and her tag and task are unchanged", async () => {
    const before = await alicesData();
    const path = tagPath(bob, alicesTag.id);
    const missing = await expectError(await asBob("GET", tagPath(bob, randomUUID())), 404, "not_found");
    expect(await expectError(await asBob("GET", path), 404, "not_found")).toEqual(missing);
    await expectError(await asBob("PATCH", path, { name: "exposed" }), 404, "not_found");
    await expectError(await asBob("DELETE", path), 404, "not_found");
    expect(await alicesData()).toEqual(before);
    await expectUnchanged(alice, alicesTask);
  });

  it("his tags are only his, counted over his tasks; a name she has is his own tag, and no conflict", async () => {
    const before = await alicesData();
    await createTask(bob, { title: "Keep quiet", tags: ["Secret"] });
    expect((await tagsOf(bob)).map(({ name, task_count }) => [name, task_count])).toEqual([
      ["Secret", 1],
      ["shopping", 1],
    ]);
    const shopping = await tagNamed(bob, "shopping");
    const renamed = await asBob("PATCH", tagPath(bob, shopping.id), { name: "Party" });
    expect(renamed.status).toBe(200);
    expect(await alicesData()).toEqual(before);
  });

  it("Alice's tag paths are 403 forbidden with his token", async () => {
    const before = await alicesData();
    await expectError(await asBob("GET", tagsPath(alice)), 403, "forbidden");
    await expectError(await asBob("PATCH", tagPath(alice, alicesTag.id), { name: "exposed" }), 403, "forbidden");
    await expectError(await asBob("DELETE", tagPath(alice, alicesTag.id)), 403, "forbidden");
    expect(await alicesData()).toEqual(before);
  });
});
