// A Todoist CSV export ("Export as template" → CSV) as an import: its task rows become tasks of one list. The
// mapping is docs/decisions/0022-import-and-export.md's.
import { ApiError } from "../http/errors";
import { CalendarDate, TAG_NAME_MAX_CHARS, TAGS_PER_TASK_MAX, TagName, type TaskPriority } from "../tasks/schema";
import { type CsvRecord, CsvSyntaxError, parseCsv } from "./csv";
import type { ImportPlan, PlannedTask } from "./plan";
import { IMPORT_MAX_TASKS } from "./schema";

/**
 * Todoist's CSV numbers priorities as its UI does, p1 (1) the highest to p4 (4) none; its REST API numbers them the
 * other way round (4 the highest), which this file is not.
 */
const PRIORITIES: Record<string, TaskPriority> = { "1": "high", "2": "medium", "3": "low", "4": "none", "": "none" };

/** `@label` in a task's content is a label: a word after `@`, at the start or after white space. */
const LABEL = /(^|\s)@([^\s@]+)/gu;

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const MONTH = "(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\\.?";
const WEEKDAY = "(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\\s+)?";
const TIME = "(?:,?\\s+(?:at\\s+)?(\\d{1,2})(?::(\\d{2}))?\\s*(am|pm)?)?";
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?)?$/;
const MONTH_FIRST = new RegExp(`^${WEEKDAY}${MONTH}\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})${TIME}$`, "i");
const DAY_FIRST = new RegExp(`^${WEEKDAY}(\\d{1,2})(?:st|nd|rd|th)?\\s+${MONTH},?\\s+(\\d{4})${TIME}$`, "i");

const pad = (value: number | string) => String(value).padStart(2, "0");

/** `HH:MM` from an hour, optional minutes and optional am/pm, or undefined if that is no time of day. */
function timeOfDay(hour?: string, minute?: string, meridiem?: string): string | null | undefined {
  if (hour === undefined) return null;
  // A bare number after the date ("Oct 5 2026 9") is no time.
  if (minute === undefined && meridiem === undefined) return undefined;
  let hours = Number(hour);
  const minutes = Number(minute ?? "0");
  if (meridiem) {
    if (hours < 1 || hours > 12) return undefined;
    hours = (hours % 12) + (meridiem.toLowerCase() === "pm" ? 12 : 0);
  }
  return hours <= 23 && minutes <= 59 ? `${pad(hours)}:${pad(minutes)}` : undefined;
}

/**
 * A Todoist DATE that names one calendar day (and maybe a time): `2026-10-05`, `2026-10-05 15:30`, `Oct 5 2026`,
 * `5 October 2026 at 9am`. Recurring or relative dates (`every monday`, `tomorrow`) are no date: undefined.
 */
export function todoistDue(value: string): { due_date: string; due_time: string | null } | undefined {
  const text = value.trim();
  let date: string;
  let time: string | null | undefined;
  const iso = ISO_DATE.exec(text);
  const monthFirst = MONTH_FIRST.exec(text);
  const dayFirst = DAY_FIRST.exec(text);
  if (iso) {
    date = `${iso[1]}-${iso[2]}-${iso[3]}`;
    time = iso[4] === undefined ? null : timeOfDay(iso[4], iso[5]);
  } else if (monthFirst) {
    const [, month, day, year, hour, minute, meridiem] = monthFirst;
    date = `${year}-${pad(MONTHS.indexOf((month ?? "").toLowerCase()) + 1)}-${pad(day ?? "")}`;
    time = timeOfDay(hour, minute, meridiem);
  } else if (dayFirst) {
    const [, day, month, year, hour, minute, meridiem] = dayFirst;
    date = `${year}-${pad(MONTHS.indexOf((month ?? "").toLowerCase()) + 1)}-${pad(day ?? "")}`;
    time = timeOfDay(hour, minute, meridiem);
  } else return undefined;
  if (time === undefined || !CalendarDate("due_date").safeParse(date).success) return undefined;
  return { due_date: date, due_time: time };
}

/** The content's labels taken out as tag names (their first spelling once), and the title that is left. */
export function splitLabels(content: string): { title: string; tags: string[] } {
  const tags = new Map<string, string>();
  for (const match of content.matchAll(LABEL)) {
    const name = match[2] as string;
    if (!tags.has(name.toLowerCase())) tags.set(name.toLowerCase(), name);
  }
  const title = content.replace(LABEL, "$1").replace(/\s+/gu, " ").trim();
  return { title, tags: [...tags.values()] };
}

const notTodoist = (detail: string) =>
  new ApiError("validation_error", `The CSV is not a Todoist export: ${detail}.`, {
    fields: [{ field: "(body)", message: detail }],
  });

/** The header's columns by name (upper case); TYPE and CONTENT must be there. */
function columnsOf(header: CsvRecord | undefined): (record: CsvRecord, name: string) => string {
  const names = header?.cells.map((cell) => cell.trim().toUpperCase()) ?? [];
  for (const required of ["TYPE", "CONTENT"]) {
    if (!names.includes(required)) throw notTodoist(`its header has no ${required} column`);
  }
  return (record, name) => {
    const at = names.indexOf(name);
    return at < 0 ? "" : (record.cells[at] ?? "");
  };
}

/** A Todoist CSV as an import plan into one list (`listName`) or the Inbox. */
export function planTodoistImport(csv: string, listName: string | undefined): ImportPlan {
  let records: CsvRecord[];
  try {
    records = parseCsv(csv);
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw notTodoist(`row ${error.row}: ${error.message}`);
    throw error;
  }
  const cell = columnsOf(records[0]);
  const listKey = listName === undefined ? null : "todoist";
  const plan: ImportPlan = {
    lists: listName === undefined ? [] : [{ key: "todoist", name: listName, where: {} }],
    tags: [],
    tasks: [],
    refused: [],
    notes: [],
  };
  const tags = new Map<string, string>();
  for (const record of records.slice(1)) {
    const { row } = record;
    const type = cell(record, "TYPE").trim().toLowerCase();
    if (record.cells.every((value) => value.trim() === "") || type === "meta") continue;
    if (type === "section") {
      const note = `section “${cell(record, "CONTENT")}”: its tasks are imported into the list, without the section`;
      plan.notes.push({ row, kind: "section", note });
      continue;
    }
    if (type === "note") {
      plan.refused.push({ row, kind: "note", reason: "a comment (note row): tasks here have no comments" });
      continue;
    }
    if (type !== "task") {
      plan.refused.push({ row, kind: "task", reason: `TYPE “${type}” is none of task, section, note, meta` });
      continue;
    }
    plan.tasks.push(todoistTask(record, cell, listKey, plan));
    if (plan.tasks.length > IMPORT_MAX_TASKS) {
      throw new ApiError("validation_error", `The CSV holds more than ${IMPORT_MAX_TASKS} tasks; split the file.`, {
        fields: [{ field: "(body)", message: `at most ${IMPORT_MAX_TASKS} task rows` }],
      });
    }
    for (const name of plan.tasks.at(-1)?.body.tags ?? [])
      if (!tags.has(name.toLowerCase())) tags.set(name.toLowerCase(), name);
  }
  plan.tags = [...tags.values()];
  return plan;
}

function todoistTask(
  record: CsvRecord,
  cell: (record: CsvRecord, name: string) => string,
  listKey: string | null,
  plan: ImportPlan,
): PlannedTask {
  const { row } = record;
  const note = (text: string) => plan.notes.push({ row, kind: "task", note: text });
  const { title, tags: labels } = splitLabels(cell(record, "CONTENT"));
  // A label no tag may be (too long), or past a task's most, is left out rather than the task.
  const tags = labels.filter((label) => TagName.safeParse(label).success).slice(0, TAGS_PER_TASK_MAX);
  if (tags.length < labels.length) {
    note(
      `labels left out: ${labels.filter((label) => !tags.includes(label)).join(", ")} (a tag is 1–${TAG_NAME_MAX_CHARS} characters, ${TAGS_PER_TASK_MAX} a task)`,
    );
  }
  const description = cell(record, "DESCRIPTION");
  const priorityCell = cell(record, "PRIORITY").trim();
  const priority = PRIORITIES[priorityCell];
  if (priority === undefined) note(`PRIORITY “${priorityCell}” is none of 1–4; imported without a priority`);
  const date = cell(record, "DATE").trim();
  const due = date === "" ? undefined : todoistDue(date);
  if (date !== "" && !due)
    note(`DATE “${date}” names no one calendar day (recurring or relative); imported without a due date`);
  const indent = Number(cell(record, "INDENT").trim() || "1");
  if (indent > 1) note("a subtask in Todoist; imported as a task of its own, below its parent");
  return {
    where: { row },
    listKey,
    body: {
      title,
      description: description === "" ? null : description,
      priority: priority ?? "none",
      ...(due ?? {}),
      ...(tags.length > 0 ? { tags } : {}),
    },
  };
}
