import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { ListJson } from "@/lib/lists/schema";
import type { TaskJson } from "@/lib/tasks/schema";
import { parseCsv } from "@/lib/transfer/csv";
import {
  CSV_COLUMNS,
  EXPORT_PAGE_SIZE,
  type ExportDocument,
  IMPORT_KEYED_MAX_TASKS,
  IMPORT_MAX_BYTES,
  IMPORT_MAX_TASKS,
  type ImportReport,
} from "@/lib/transfer/schema";
import { call } from "../support/app.ts";
import { createList, listPath, listsOf, tagsOf } from "../support/organise.ts";
import { expectNoLeak, expectValidationError, send } from "../support/requests.ts";
import { createTask, expectError, expectJson, taskPath, tasksPath } from "../support/tasks.ts";
import { signUp, type TestUser } from "../support/users.ts";

const exportPath = (user: { id: string }, query = "") => `/api/${user.id}/export${query}`;
const importPath = (user: { id: string }, query = "") => `/api/${user.id}/import${query}`;
const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, "../fixtures", name), "utf8");

async function exportJson(user: TestUser): Promise<ExportDocument> {
  return expectJson<ExportDocument>(await call("GET", exportPath(user), { token: user.token }), 200);
}

async function importDocument(user: TestUser, document: unknown): Promise<ImportReport> {
  return expectJson<ImportReport>(await call("POST", importPath(user), { token: user.token, json: document }), 200);
}

function importRaw(user: TestUser, body: string, contentType: string, query = "") {
  return send("POST", importPath(user, query), { token: user.token, body, contentType });
}

const importCsv = (user: TestUser, csv: string, query = "") => importRaw(user, csv, "text/csv", query);

/** A document without what an import may not keep: ids, times, versions, user ids and position keys. */
function portable(document: ExportDocument) {
  const listNames = new Map(document.lists.map((list) => [list.id, list.name]));
  return {
    format: document.format,
    version: document.version,
    lists: document.lists.map((list) => list.name),
    tags: document.tags.map(({ name, task_count }) => ({ name, task_count })),
    tasks: document.tasks.map(({ id, created_at, updated_at, version, user_id, position, list_id, ...task }) => ({
      ...task,
      list: list_id === null ? null : listNames.get(list_id),
    })),
  };
}

/** A person's whole account, as far as its numbers go: tasks, lists and tags. */
async function accountSize(user: TestUser) {
  const document = await exportJson(user);
  return { tasks: document.tasks.length, lists: document.lists.length, tags: document.tags.length };
}

async function moveTask(user: TestUser, task: TaskJson, move: Record<string, unknown>) {
  await expectJson(await call("POST", `${taskPath(user, task.id)}/move`, { token: user.token, json: move }), 200);
}

describe("exporting and importing a whole account", () => {
  let alice: TestUser;
  let bob: TestUser;
  let work: ListJson;
  let home: ListJson;

  beforeAll(async () => {
    [alice, bob] = [await signUp("Alice"), await signUp("Bob")];
    work = await createList(alice, "Work");
    home = await createList(alice, "Home");
    await createList(alice, "Someday");
    // Home before Work: an order of the person's own, not the order of creation.
    await expectJson(
      await call("POST", `${listPath(alice, home.id)}/move`, { token: alice.token, json: { before: work.id } }),
      200,
    );
    const report = await createTask(alice, {
      title: "Quarterly report",
      description: 'Numbers, then "the" summary\nand a second line',
      list_id: work.id,
      due_date: "2026-12-04",
      due_time: "09:30",
      priority: "high",
      tags: ["Office", "q4"],
    });
    const call2 = await createTask(alice, { title: "Call the landlord", list_id: home.id, due_date: "2026-12-10" });
    await createTask(alice, { title: "Water the plants", list_id: home.id, priority: "low" });
    await createTask(alice, { title: "Inbox thought", priority: "medium" });
    await createTask(alice, { title: "Done in the Inbox", completed: true, description: "" });
    // Manual order differing from creation order, and a tag no task carries any more.
    const room = await createTask(alice, {
      title: "Book the room",
      list_id: work.id,
      completed: true,
      tags: ["office"],
    });
    await moveTask(alice, report, { before: room.id });
    await moveTask(alice, call2, {});
    const gone = await createTask(alice, { title: "Forgotten", tags: ["unused"] });
    await call("DELETE", taskPath(alice, gone.id), { token: alice.token });
  });

  it("exports JSON as an attachment named by the day, lists by position, tasks by list then position", async () => {
    const response = await call("GET", exportPath(alice), { token: alice.token });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const day = new Date().toISOString().slice(0, 10);
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="tasks-${day}.json"`);
    const document = (await response.json()) as ExportDocument;
    expect(document).toMatchObject({ format: "taskapp-export", version: 1 });
    expect(document.lists.map((list) => list.name)).toEqual(["Home", "Work", "Someday"]);
    expect(document.tags.map((tag) => [tag.name, tag.task_count])).toEqual([
      ["Office", 2],
      ["q4", 1],
      ["unused", 0],
    ]);
    expect(document.tasks.map((task) => task.title)).toEqual([
      "Done in the Inbox",
      "Inbox thought",
      "Call the landlord",
      "Water the plants",
      "Quarterly report",
      "Book the room",
    ]);
    for (const task of document.tasks) expect(task.user_id).toBe(alice.id);
  });

  it("round trip: Alice's export imported into Bob's empty account exports the same, but ids, times and versions", async () => {
    const original = await exportJson(alice);
    const report = await importDocument(bob, original);
    expect(report).toEqual({ imported: { lists: 3, tags: 3, tasks: 6 }, refused: [], notes: [] });
    const copy = await exportJson(bob);
    expect(portable(copy)).toEqual(portable(original));
    expect(copy.tasks.every((task) => task.user_id === bob.id)).toBe(true);
    const aliceIds = new Set([...original.tasks, ...original.lists, ...original.tags].map((item) => item.id));
    expect([...copy.tasks, ...copy.lists, ...copy.tags].some((item) => aliceIds.has(item.id))).toBe(false);
  });

  it("Bob's export never holds Alice's data, and Alice's paths are a 403 to Bob either way", async () => {
    const carol = await signUp("Carol");
    expect((await exportJson(carol)).tasks).toEqual([]);
    const before = await exportJson(alice);
    await expectError(await call("GET", exportPath(alice), { token: carol.token }), 403, "forbidden");
    await expectError(await call("POST", importPath(alice), { token: carol.token, json: before }), 403, "forbidden");
    const csv = fixture("todoist-export.csv");
    await expectError(await importCsv({ ...carol, id: alice.id }, csv), 403, "forbidden");
    expect(portable(await exportJson(alice))).toEqual(portable(before));
    await expectError(await call("GET", exportPath(alice)), 401, "invalid_token");
  });

  it("importing the same file twice makes the tasks twice, into the lists of those names", async () => {
    const dave = await signUp("Dave");
    const original = await exportJson(alice);
    await importDocument(dave, original);
    const second = await importDocument(dave, original);
    expect(second.imported).toEqual({ lists: 0, tags: 0, tasks: 6 });
    const twice = await exportJson(dave);
    expect(twice.lists.map((list) => list.name)).toEqual(["Home", "Work", "Someday"]);
    expect(twice.tasks).toHaveLength(12);
  });
});

describe("a retried import under an Idempotency-Key", () => {
  it("the same key and file import once and answer the first report again; another file under the key is a 422", async () => {
    const person = await signUp("Retrier");
    const csv = "TYPE,CONTENT\r\ntask,Only once\r\n";
    const upload = (body: string) =>
      send("POST", importPath(person), {
        token: person.token,
        body,
        contentType: "text/csv",
        headers: { "Idempotency-Key": "import-1" },
      });
    const first = await upload(csv);
    const report = await expectJson<ImportReport>(first, 200);
    const again = await upload(csv);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await expectJson<ImportReport>(again, 200)).toEqual(report);
    await expectError(await upload(`${csv}task,Another\r\n`), 422, "idempotency_key_reused");
    expect((await exportJson(person)).tasks.map((task) => task.title)).toEqual(["Only once"]);
  });

  it(`more than ${IMPORT_KEYED_MAX_TASKS} tasks under a key are a 422 naming the header, and nothing is written`, async () => {
    const person = await signUp("Keyed and large");
    const csv = `TYPE,CONTENT\r\n${"task,x\r\n".repeat(IMPORT_KEYED_MAX_TASKS + 1)}`;
    const response = await send("POST", importPath(person), {
      token: person.token,
      body: csv,
      contentType: "text/csv",
      headers: { "Idempotency-Key": "large" },
    });
    await expectValidationError(response, "Idempotency-Key");
    expect(await accountSize(person)).toEqual({ tasks: 0, lists: 0, tags: 0 });
  });
});

describe("the CSV export", () => {
  let person: TestUser;

  beforeAll(async () => {
    person = await signUp("Spreadsheet");
    const list = await createList(person, "=cmd|' /C calc'!A0");
    for (const title of [
      "=SUM(A1:A9)",
      "+1 555 0100",
      "-2 degrees",
      "@SUM(1)",
      'Says "hi", twice\nthen stops',
      "Plain",
    ]) {
      await createTask(person, { title, list_id: list.id, tags: ["b", "a,c"], due_date: "2026-12-24" });
    }
  });

  it("is RFC 4180 (CRLF, every cell quoted, quotes doubled) with a header, as an attachment", async () => {
    const requests: { query: string; headers: Record<string, string> }[] = [
      { query: "?format=csv", headers: {} },
      { query: "", headers: { Accept: "text/csv" } },
    ];
    for (const request of requests) {
      const response = await call("GET", exportPath(person, request.query), {
        token: person.token,
        headers: request.headers,
      });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^text\/csv; charset=utf-8/);
      expect(response.headers.get("content-disposition")).toMatch(
        /^attachment; filename="tasks-\d{4}-\d{2}-\d{2}\.csv"$/,
      );
      // Response#text() would drop the byte-order mark.
      const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(await response.arrayBuffer());
      expect(text.startsWith(`\uFEFF${CSV_COLUMNS.map((column) => `"${column}"`).join(",")}\r\n`)).toBe(true);
      expect(text).toContain('"Says ""hi"", twice\nthen stops"');
      const records = parseCsv(text);
      expect(records).toHaveLength(7);
      for (const { cells } of records) expect(cells).toHaveLength(CSV_COLUMNS.length);
    }
  });

  it("puts a ' before any cell a spreadsheet would run as a formula (= + - @), as OWASP advises", async () => {
    const response = await call("GET", exportPath(person, "?format=csv"), { token: person.token });
    const [header, ...rows] = parseCsv(await response.text());
    const column = (name: string) => header?.cells.indexOf(name) ?? -1;
    const titles = rows.map(({ cells }) => cells[column("title")]);
    expect(titles.toSorted()).toEqual(
      ["'=SUM(A1:A9)", "'+1 555 0100", "'-2 degrees", "'@SUM(1)", 'Says "hi", twice\nthen stops', "Plain"].toSorted(),
    );
    for (const { cells } of rows) {
      expect(cells[column("list")]).toBe("'=cmd|' /C calc'!A0");
      expect(cells[column("tags")]).toBe("a,c, b");
      expect(cells[column("due_date")]).toBe("2026-12-24");
      expect(cells[column("completed")]).toBe("false");
    }
  });

  it("refuses an unknown format with a 422 naming the parameter", async () => {
    await expectValidationError(
      await call("GET", exportPath(person, "?format=xml"), { token: person.token }),
      "format",
    );
  });
});

describe("importing a Todoist CSV export", () => {
  it("imports its task rows into the named list in order, with labels, priorities and dates; reports the rest", async () => {
    const person = await signUp("From Todoist");
    const response = await importCsv(person, fixture("todoist-export.csv"), "?list=Passport");
    const report = await expectJson<ImportReport>(response, 200);
    expect(report.imported).toEqual({ lists: 1, tags: 3, tasks: 6 });
    expect(report.refused).toEqual([
      { row: 5, kind: "note", reason: expect.stringMatching(/comment/) },
      { row: 11, kind: "task", reason: expect.stringMatching(/title/) },
      { row: 13, kind: "note", reason: expect.stringMatching(/comment/) },
    ]);
    expect(report.notes.map(({ row, kind }) => [row, kind])).toEqual([
      [4, "task"],
      [7, "section"],
      [8, "task"],
      [9, "task"],
      [12, "task"],
    ]);
    const document = await exportJson(person);
    expect(document.lists.map((list) => list.name)).toEqual(["Passport"]);
    expect(document.tags.map((tag) => tag.name)).toEqual(["Admin", "errands", "home"]);
    const fields = ({ title, description, priority, due_date, due_time, tags, completed }: TaskJson) => ({
      title,
      description,
      priority,
      due_date,
      due_time,
      tags,
      completed,
    });
    const task = (title: string, fields: Partial<TaskJson> = {}) => ({
      title,
      description: null,
      priority: "none",
      due_date: null,
      due_time: null,
      tags: [],
      completed: false,
      ...fields,
    });
    expect(document.tasks.map(fields)).toEqual([
      task("Renew passport", {
        description: "Photo booth at the station, then the post office",
        priority: "high",
        due_date: "2026-10-05",
        tags: ["Admin", "errands"],
      }),
      task("Book photo slot", { priority: "medium", due_date: "2026-09-28", due_time: "09:30" }),
      task("Fix the tap, finally", { priority: "low", tags: ["home"] }),
      task('Call the plumber "Aqua"'),
      task("Write packing list", {
        description: "Line one\nLine two, with a comma",
        due_date: "2026-11-05",
        due_time: "18:30",
        tags: ["home"],
      }),
      task('=HYPERLINK("http://example.test")'),
    ]);
    expect(document.tasks.every((task) => task.list_id === document.lists[0]?.id)).toBe(true);
  });

  it("without ?list the tasks go to the Inbox; a list of that name already there is used, not made again", async () => {
    const person = await signUp("Inbox person");
    const csv = "TYPE,CONTENT,PRIORITY\r\ntask,First,1\r\ntask,Second,4\r\n";
    const inbox = await expectJson<ImportReport>(await importCsv(person, csv), 200);
    expect(inbox.imported).toEqual({ lists: 0, tags: 0, tasks: 2 });
    const existing = await createList(person, "Errands");
    const named = await expectJson<ImportReport>(await importCsv(person, csv, "?list=errands"), 200);
    expect(named.imported).toEqual({ lists: 0, tags: 0, tasks: 2 });
    const document = await exportJson(person);
    expect(document.tasks.map((task) => [task.title, task.list_id])).toEqual([
      ["First", null],
      ["Second", null],
      ["First", existing.id],
      ["Second", existing.id],
    ]);
  });
});

describe("Todoist labels no tag may be", () => {
  it("are left out with a note, and the task is imported", async () => {
    const person = await signUp("Many labels");
    const labels = Array.from({ length: 21 }, (_, n) => `@l${n}`).join(" ");
    const csv = `TYPE,CONTENT\r\ntask,Long @${"x".repeat(51)}\r\ntask,Many ${labels}\r\n`;
    const report = await expectJson<ImportReport>(await importCsv(person, csv), 200);
    expect(report.imported.tasks).toBe(2);
    expect(report.notes.map(({ row, note }) => [row, note.split(":")[0]])).toEqual([
      [2, "labels left out"],
      [3, "labels left out"],
    ]);
    const [long, many] = (await exportJson(person)).tasks as [TaskJson, TaskJson];
    expect(long).toMatchObject({ title: "Long", tags: [] });
    expect(many.tags).toHaveLength(20);
  });
});

describe("an import that is refused as a whole writes nothing", () => {
  let person: TestUser;
  let valid: ExportDocument;

  beforeAll(async () => {
    person = await signUp("Careful");
    const source = await signUp("Source");
    await createList(source, "A list");
    await createTask(source, { title: "A task", tags: ["a tag"] });
    valid = await exportJson(source);
  });

  const nothingWritten = async () => expect(await accountSize(person)).toEqual({ tasks: 0, lists: 0, tags: 0 });

  it("JSON that is not JSON is a 400; JSON that is no export a 422 naming the field", async () => {
    await expectError(await importRaw(person, "{not json", "application/json"), 400, "invalid_json");
    await expectValidationError(
      await call("POST", importPath(person), { token: person.token, json: [1, 2] }),
      "(body)",
    );
    await expectValidationError(
      await call("POST", importPath(person), { token: person.token, json: { tasks: [] } }),
      "format",
    );
    await expectValidationError(
      await call("POST", importPath(person), { token: person.token, json: { ...valid, version: 2 } }),
      "version",
    );
    const broken = { ...valid, tasks: [...valid.tasks, { ...valid.tasks[0], completed: "yes" }] };
    await expectValidationError(
      await call("POST", importPath(person), { token: person.token, json: broken }),
      "tasks.1.completed",
    );
    await nothingWritten();
  });

  it("a body neither JSON nor CSV is a 415; a CSV that is no Todoist export or is malformed a 422", async () => {
    await expectError(await importRaw(person, "hello", "text/plain"), 415, "unsupported_media_type");
    await expectValidationError(await importCsv(person, "title,notes\r\nA,B\r\n"), "(body)");
    const unclosed = await expectValidationError(
      await importCsv(person, 'TYPE,CONTENT\r\ntask,"never closed\r\n'),
      "(body)",
    );
    expect(unclosed.detail).toMatch(/row 2/);
    await expectValidationError(await importCsv(person, "TYPE,CONTENT\r\ntask,x\r\n", "?list=%20"), "list");
    await nothingWritten();
  });

  it(`a body over ${IMPORT_MAX_BYTES} bytes is a 413, more than ${IMPORT_MAX_TASKS} tasks a 422`, async () => {
    const huge = `TYPE,CONTENT\r\n${"task,x\r\n".repeat(IMPORT_MAX_BYTES / 8 + 1)}`;
    const tooLarge = await importCsv(person, huge);
    expect((await expectError(tooLarge, 413, "payload_too_large")).detail).toMatch(String(IMPORT_MAX_BYTES));
    const many = `TYPE,CONTENT\r\n${"task,x\r\n".repeat(IMPORT_MAX_TASKS + 1)}`;
    await expectValidationError(await importCsv(person, many), "(body)");
    const tasks = Array.from({ length: IMPORT_MAX_TASKS + 1 }, () => valid.tasks[0]);
    await expectValidationError(
      await call("POST", importPath(person), { token: person.token, json: { ...valid, tasks } }),
      "tasks",
    );
    await nothingWritten();
  });

  it("answers without internals", async () => {
    await expectNoLeak(await importRaw(person, "{", "application/json"));
  });
});

describe("entries an import refuses one by one", () => {
  it("a task naming a list the document lacks, and one the task rules refuse, are reported; the rest imported", async () => {
    const person = await signUp("Partial");
    const source = await signUp("Partial source");
    await createTask(source, { title: "Fine" });
    const [task] = (await exportJson(source)).tasks as [TaskJson];
    const document: ExportDocument = {
      format: "taskapp-export",
      version: 1,
      exported_at: new Date().toISOString(),
      lists: [],
      tags: [],
      tasks: [
        task,
        { ...task, id: crypto.randomUUID(), list_id: crypto.randomUUID() },
        { ...task, id: crypto.randomUUID(), title: "x".repeat(501) },
        { ...task, id: crypto.randomUUID(), position: `${task.position}V`, title: "Fine too" },
      ],
    };
    const report = await importDocument(person, document);
    expect(report.imported).toEqual({ lists: 0, tags: 0, tasks: 2 });
    expect(report.refused).toEqual([
      { index: 1, kind: "task", reason: expect.stringMatching(/list/) },
      { index: 2, kind: "task", reason: expect.stringMatching(/title/) },
    ]);
    expect((await exportJson(person)).tasks.map((t) => t.title)).toEqual(["Fine", "Fine too"]);
  });
});

describe("a large account", () => {
  it("exports every task in order across pages, and imports them back through batches of 100", async () => {
    const person = await signUp("Many tasks");
    const copy = await signUp("Many tasks, copied");
    const inboxCount = EXPORT_PAGE_SIZE + 20;
    const listed = 80;
    const titles = Array.from({ length: inboxCount + listed }, (_, n) => `Task ${String(n).padStart(4, "0")}`);
    const csv = (rows: string[]) => `TYPE,CONTENT\r\n${rows.map((title) => `task,${title}\r\n`).join("")}`;
    expect(
      (await expectJson<ImportReport>(await importCsv(person, csv(titles.slice(0, inboxCount))), 200)).imported.tasks,
    ).toBe(inboxCount);
    await expectJson(await importCsv(person, csv(titles.slice(inboxCount)), "?list=Big"), 200);
    const document = await exportJson(person);
    expect(document.tasks.map((task) => task.title)).toEqual(titles);
    const report = await importDocument(copy, document);
    expect(report.imported.tasks).toBe(titles.length);
    expect(portable(await exportJson(copy))).toEqual(portable(document));
    const page = await expectJson<TaskJson[]>(
      await call("GET", `${tasksPath(copy)}?limit=1`, { token: copy.token }),
      200,
    );
    expect(page).toHaveLength(1);
  });
});

describe("tags no task carries", () => {
  it("are exported and imported too", async () => {
    const person = await signUp("Tags only");
    const task = await createTask(person, { title: "Temporary", tags: ["Keep me"] });
    await call("DELETE", taskPath(person, task.id), { token: person.token });
    const copy = await signUp("Tags only, copied");
    const report = await importDocument(copy, await exportJson(person));
    expect(report.imported).toEqual({ lists: 0, tags: 1, tasks: 0 });
    expect((await tagsOf(copy)).map((tag) => [tag.name, tag.task_count])).toEqual([["Keep me", 0]]);
    expect(await listsOf(copy)).toEqual([]);
  });
});
