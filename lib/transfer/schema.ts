// The export document, the import's report and the transfer routes' query strings: one schema each, for the
// export, the import's validation, the OpenAPI document and the browser client. Client-safe: no `server-only`.
import { z } from "zod";
import { LISTS_PER_USER_MAX, ListJson, ListName } from "../lists/schema";
import { TagJson } from "../tags/schema";
import { TaskJson } from "../tasks/schema";

export const EXPORT_FORMAT = "taskapp-export";
export const EXPORT_VERSION = 1;

/** The largest import body, and the most tasks (or Todoist task rows) one import writes. */
export const IMPORT_MAX_BYTES = 5 * 1024 * 1024;
export const IMPORT_MAX_TASKS = 5000;
const IMPORT_MAX_TAGS = 5000;
/**
 * The most tasks one import under an Idempotency-Key writes: it runs in the key's one transaction, which may last 30 s
 * (lib/idempotency/idempotent.ts), and an import writes some 100–150 tasks a second.
 */
export const IMPORT_KEYED_MAX_TASKS = 1000;
/** Operations per call of the batch path an import makes, its most. */
export const IMPORT_BATCH_SIZE = 100;
/** Tasks an export reads per query: it holds one page in memory at a time, however many tasks there are. */
export const EXPORT_PAGE_SIZE = 500;

/** The columns of the CSV export, in order. */
export const CSV_COLUMNS = [
  "title",
  "description",
  "completed",
  "list",
  "tags",
  "due_date",
  "due_time",
  "priority",
  "created_at",
  "updated_at",
  "id",
] as const;

/**
 * `GET /api/{userId}/export` in JSON, and the body `POST /api/{userId}/import` takes back. Lists by position, tasks
 * by list (the Inbox first, then the lists in their order) and by position within each: order is in the arrays.
 */
export const ExportDocument = z.object({
  format: z.literal(EXPORT_FORMAT, { error: `format must be "${EXPORT_FORMAT}"` }),
  version: z.literal(EXPORT_VERSION, { error: `version must be ${EXPORT_VERSION}, the one this server reads` }),
  exported_at: z.iso.datetime({ error: "exported_at must be an ISO 8601 timestamp" }),
  lists: z
    .array(ListJson)
    .max(LISTS_PER_USER_MAX, `an export holds at most ${LISTS_PER_USER_MAX} lists`)
    .meta({ description: "The user's lists, in their order." }),
  tags: z
    .array(TagJson)
    .max(IMPORT_MAX_TAGS, `an import holds at most ${IMPORT_MAX_TAGS} tags`)
    .meta({ description: "The user's tags, by name ignoring case; an import makes the ones no task carries too." }),
  tasks: z
    .array(TaskJson)
    .max(IMPORT_MAX_TASKS, `an import holds at most ${IMPORT_MAX_TASKS} tasks; split the file`)
    .meta({
      description:
        "The tasks: the Inbox's, then each list's in the lists' order, each in manual order (`position`). " +
        "A task's `list_id` names a list of `lists`, or null for the Inbox.",
    }),
});

export type ExportDocument = z.infer<typeof ExportDocument>;

export const EXPORT_FORMATS = ["json", "csv"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** `GET …/export?format=`: absent, the `Accept` header chooses (`text/csv`), else JSON. */
export const ExportQuery = z.object({
  format: z
    .enum(EXPORT_FORMATS, { error: `format must be one of ${EXPORT_FORMATS.join(", ")}` })
    .optional()
    .meta({ description: "`json` (the default) or `csv`; without it, `Accept: text/csv` asks for CSV." }),
});

/** `POST …/import?list=`: the list a Todoist CSV's tasks go to (found by name ignoring case, or made). */
export const ImportQuery = z.object({
  list: ListName.optional().meta({
    description:
      "For a Todoist CSV: the list its tasks go to, one of yours by name (ignoring case) or a new one; without it " +
      "the Inbox. Ignored for a JSON export, whose tasks go to the lists it names.",
  }),
});

export type ImportQuery = z.infer<typeof ImportQuery>;

const Count = z.number().int().min(0);

const Where = {
  row: z
    .number()
    .int()
    .min(1)
    .optional()
    .meta({ description: "For a CSV: the record's number in the file, the header being row 1." }),
  index: z
    .number()
    .int()
    .min(0)
    .optional()
    .meta({ description: "For a JSON export: the task's (or list's) index in its array, from 0." }),
  kind: z.enum(["list", "tag", "task", "note", "section"]).meta({ description: "What the entry is about." }),
};

/** What `POST …/import` did: what it made, what it refused (and why), and what it changed on the way in. */
export const ImportReport = z.object({
  imported: z.object({ lists: Count, tags: Count, tasks: Count }).meta({
    description:
      "What the import made: new lists and tags (an existing one of the same name is used, not counted), tasks.",
  }),
  refused: z
    .array(z.object({ ...Where, reason: z.string() }))
    .meta({ description: "Each entry not imported, and why; the rest is imported all the same." }),
  notes: z
    .array(z.object({ ...Where, note: z.string() }))
    .meta({ description: "Entries imported with a change, e.g. a Todoist date that is no calendar date left out." }),
});

export type ImportReport = z.infer<typeof ImportReport>;
export type Refusal = ImportReport["refused"][number];
export type ImportNote = ImportReport["notes"][number];
