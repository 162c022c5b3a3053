import { randomUUID } from "node:crypto";
import { type InfiniteData, MutationObserver, QueryClient, type QueryKey } from "@tanstack/react-query";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type ChangeApplier, createChangeApplier, FRAME_MS } from "@/components/tasks/change-applier";
import { summarize } from "@/components/tasks/task-cache";
import { type TaskView, taskKeys } from "@/components/tasks/task-keys";
import type { ChangeEvent } from "@/lib/changes/schema";
import type { Task, TaskPage, TaskSummary } from "@/lib/client/tasks-api";

const USER = randomUUID();

const view = (change: Partial<TaskView> = {}): TaskView => ({
  section: { kind: "all" },
  filter: "all",
  q: "",
  ...change,
});
const ALL = view();
const ACTIVE = view({ filter: "active" });
const DONE = view({ filter: "completed" });
const SEARCH = view({ q: "report" });

let created = 0;
function task(change: Partial<Task> = {}): Task {
  const at = new Date(Date.UTC(2026, 0, 1, 0, 0, created++)).toISOString();
  return {
    id: randomUUID(),
    title: "A task",
    description: null,
    completed: false,
    created_at: at,
    updated_at: at,
    user_id: USER,
    version: 1,
    list_id: null,
    due_date: null,
    due_time: null,
    priority: "none",
    position: "a0",
    tags: [],
    ...change,
  };
}

let eventId = 0;
const upserted = (data: Task): ChangeEvent => ({
  event_id: String(++eventId),
  type: "task.upserted",
  id: data.id,
  data,
});
const deleted = (id: string): ChangeEvent => ({ event_id: String(++eventId), type: "task.deleted", id });

let client: QueryClient;
let applier: ChangeApplier;
let readsAgain: QueryKey[];

function seed(at: TaskView, tasks: Task[]) {
  client.setQueryData<InfiniteData<TaskPage, string | null>>(taskKeys.list(USER, at), {
    pages: [{ tasks, next: undefined }],
    pageParams: [null],
  });
}
const listed = (at: TaskView) =>
  client.getQueryData<InfiniteData<TaskPage>>(taskKeys.list(USER, at))?.pages.flatMap((page) => page.tasks);
const summary = () => client.getQueryData<TaskSummary>(taskKeys.summary(USER));
const nextFrame = () => vi.advanceTimersByTimeAsync(FRAME_MS);
/** What was read again, each once, in any order. */
const sorted = (keys: QueryKey[]) => keys.map((key) => JSON.stringify(key)).sort();
const expectReadAgain = (...keys: QueryKey[]) => expect(sorted(readsAgain)).toEqual(sorted(keys));

/** A write of the task under way here, as task-mutations.ts starts one; `answer` settles it. */
function writing(key: QueryKey) {
  const { promise, resolve } = Promise.withResolvers<Task>();
  void new MutationObserver(client, { mutationKey: key, mutationFn: () => promise }).mutate();
  return { answer: async (saved: Task) => resolve(saved) };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
  client = new QueryClient();
  applier = createChangeApplier(client, USER);
  readsAgain = [];
  vi.spyOn(client, "invalidateQueries").mockImplementation(async (filters) => {
    readsAgain.push(filters?.queryKey ?? []);
  });
});

afterEach(() => {
  applier.dispose();
  client.clear();
  vi.useRealTimers();
});

describe("A task changed elsewhere", () => {
  it("replaces the cached copy in every list at the next frame, moves the counts, and has them read again", async () => {
    const milk = task({ title: "Buy milk" });
    seed(ALL, [milk]);
    seed(ACTIVE, [milk]);
    client.setQueryData(taskKeys.summary(USER), summarize([milk], new Map(), "UTC"));
    const done = { ...milk, completed: true, version: 2 };
    applier.apply(upserted(done));
    expect(listed(ALL)).toEqual([milk]);
    await nextFrame();
    expect(listed(ALL)).toEqual([done]);
    expect(listed(ACTIVE)).toEqual([done]);
    expect(summary()).toMatchObject({ total: 1, active: 0, completed: 1 });
    expectReadAgain(taskKeys.lists(USER), taskKeys.summary(USER));
  });

  it("coming back from this page's own write (the version it holds) changes nothing and reads nothing", async () => {
    const milk = task({ version: 3 });
    seed(ALL, [milk]);
    const before = client.getQueryData(taskKeys.list(USER, ALL));
    applier.apply(upserted({ ...milk, title: "Older", version: 2 }));
    applier.apply(upserted({ ...milk, version: 3 }));
    await nextFrame();
    expect(client.getQueryData(taskKeys.list(USER, ALL))).toBe(before);
    expectReadAgain();
  });

  it("is left to a write of it under way here, whose answer settles it; the reads wait for that write", async () => {
    const milk = task();
    seed(ALL, [milk]);
    const write = writing(taskKeys.write(USER, milk.id));
    // Our own write, echoed before its answer arrives.
    applier.apply(upserted({ ...milk, title: "Buy oat milk", version: 2 }));
    await nextFrame();
    await nextFrame();
    expect(listed(ALL)).toEqual([milk]);
    await write.answer({ ...milk, title: "Buy oat milk", version: 2 });
    await nextFrame();
    expect(listed(ALL)).toEqual([milk]);
    expectReadAgain();
  });

  it("while another task is being written, shows at once but is read again only once that write is answered", async () => {
    const milk = task();
    const bread = task();
    seed(ALL, [milk, bread]);
    const write = writing(taskKeys.write(USER, milk.id));
    const renamed = { ...bread, title: "Buy rye bread", version: 2 };
    applier.apply(upserted(renamed));
    await nextFrame();
    expect(listed(ALL)).toEqual([milk, renamed]);
    await nextFrame();
    expectReadAgain();
    await write.answer({ ...milk, version: 2 });
    await nextFrame();
    expectReadAgain(taskKeys.lists(USER), taskKeys.summary(USER));
  });

  it("just created shows at once in the cached lists it belongs to, newest first, though not in a search", async () => {
    const older = task({ title: "Write the report" });
    for (const at of [ALL, ACTIVE, DONE, SEARCH]) seed(at, at === DONE ? [] : [older]);
    client.setQueryData(taskKeys.summary(USER), summarize([older], new Map(), "UTC"));
    const added = task({ title: "Read the report" });
    applier.apply(upserted(added));
    await nextFrame();
    expect(listed(ALL)).toEqual([added, older]);
    expect(listed(ACTIVE)).toEqual([added, older]);
    expect(listed(DONE)).toEqual([]);
    expect(listed(SEARCH)).toEqual([older]);
    expect(summary()).toMatchObject({ total: 2, active: 2 });
  });

  it("unknown here waits while this page creates a task: it may be that one, which its answer then brings", async () => {
    seed(ALL, []);
    const creation = writing(taskKeys.create(USER));
    const added = task({ title: "Added here" });
    applier.apply(upserted(added));
    await nextFrame();
    expect(listed(ALL)).toEqual([]);
    await creation.answer(added);
    seed(ALL, [added]); // What the creation's onSuccess does.
    await nextFrame();
    expect(listed(ALL)).toEqual([added]);
    expectReadAgain();
  });

  it("deleted leaves every list and the counts; the counts are read again", async () => {
    const milk = task();
    const bread = task({ completed: true });
    seed(ALL, [milk, bread]);
    seed(ACTIVE, [milk]);
    client.setQueryData(taskKeys.summary(USER), summarize([milk, bread], new Map(), "UTC"));
    applier.apply(deleted(milk.id));
    await nextFrame();
    expect(listed(ALL)).toEqual([bread]);
    expect(listed(ACTIVE)).toEqual([]);
    expect(summary()).toMatchObject({ total: 1, active: 0, completed: 1 });
    expectReadAgain(taskKeys.summary(USER));
  });
});

describe("Reading again", () => {
  it("happens once per frame for a burst of changes", async () => {
    const tasks = Array.from({ length: 20 }, () => task());
    seed(ALL, tasks);
    for (const each of tasks) applier.apply(upserted({ ...each, completed: true, version: 2 }));
    applier.apply(deleted(tasks[0]?.id ?? ""));
    await nextFrame();
    expectReadAgain(taskKeys.lists(USER), taskKeys.summary(USER));
  });

  it("of the lists and the tags follows their changes", async () => {
    const id = randomUUID();
    applier.apply({ event_id: "1", type: "list.deleted", id });
    applier.apply({ event_id: "2", type: "tag.upserted", id, data: { id, name: "home", task_count: 2 } });
    await nextFrame();
    expectReadAgain(taskKeys.namedLists(USER), taskKeys.tags(USER));
  });

  it("of everything, after a resync, is one read of all the user's queries", async () => {
    const milk = task();
    seed(ALL, [milk]);
    applier.apply(upserted({ ...milk, version: 2 }));
    applier.resync();
    await nextFrame();
    expectReadAgain(taskKeys.all(USER));
  });
});
