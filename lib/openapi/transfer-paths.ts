// Import and export: a user's whole account as one JSON document (or a CSV of the tasks), and back in.
import {
  CSV_COLUMNS,
  EXPORT_PAGE_SIZE,
  ExportDocument,
  ExportQuery,
  IMPORT_BATCH_SIZE,
  IMPORT_KEYED_MAX_TASKS,
  IMPORT_MAX_BYTES,
  IMPORT_MAX_TASKS,
  ImportQuery,
  ImportReport,
} from "../transfer/schema";
import { DATA_REFS } from "./change-paths";
import { IDEMPOTENCY_ERRORS, IDEMPOTENCY_KEY_PARAMETER, REPLAYED_HEADERS } from "./idempotency";
import { jsonSchemaOf } from "./json-schema";
import {
  API_RATE_LIMIT_HEADERS,
  BEARER,
  BODY_ERRORS,
  COMMON_HEADERS,
  errorResponses,
  type Json,
  json,
  preflight,
  queryParameters,
  ref,
  SERVER_ERRORS,
  TOKEN_ERRORS,
} from "./parts";

const TRANSFER_TAG = ["Import and export"];

export function transferSchemas(): Json {
  return {
    ExportDocument: {
      ...jsonSchemaOf(ExportDocument, "output", DATA_REFS),
      description:
        "A whole account: `format` and `version` say what the document is, then the lists, tags and tasks, each " +
        "exactly as its own route answers it. `POST …/import` takes it back.",
    },
    ImportReport: {
      ...jsonSchemaOf(ImportReport, "output"),
      description: "What an import made, what it refused and why, and what it changed on the way in.",
    },
  };
}

const CSV_DESCRIPTION =
  `One record per task: a header (\`${CSV_COLUMNS.join(",")}\`), then the tasks in the JSON document's order. ` +
  "RFC 4180: CRLF line ends, every cell quoted, a quote doubled; UTF-8 with a byte-order mark (so Excel reads it as " +
  "UTF-8). A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with `'`, so a spreadsheet " +
  "shows it as text instead of running it as a formula (CSV injection). `list` is the list's name (empty for the " +
  "Inbox), `tags` the names joined by `, `.";

const EXPORT_DESCRIPTION =
  "All the user's lists, tags and tasks, as a download (`Content-Disposition: attachment`). JSON (the default, or " +
  "`?format=json`) is the `ExportDocument`; `?format=csv`, or `Accept: text/csv` without `format`, is a CSV of the " +
  `tasks. The tasks are read ${EXPORT_PAGE_SIZE} at a time as the body is sent (keyset pages), so the size of an ` +
  "account costs time, not memory; the pages are not one snapshot, so a task changed while the body is read may " +
  "show its old or its new state.";

const IMPORT_DESCRIPTION =
  "Brings tasks in, through the same path as `POST …/tasks` (each task checked by its rules; created " +
  `${IMPORT_BATCH_SIZE} at a time, each on its own: not all-or-nothing).\n\n` +
  "**An export of this app** (`application/json`, the `ExportDocument`): its lists (a list of yours of the same " +
  "name, ignoring case, is used instead of a new one), its tags (with their spelling, those no task carries too) and " +
  "its tasks, with their title, description, completion, due date and time, priority, tags, list and order. Ids, " +
  "times, versions and positions are the new account's own. Exporting an account, importing it into an empty one " +
  "and exporting that gives the same document but for those.\n\n" +
  "**A Todoist CSV export** (`text/csv`, Todoist's *Export as template*): each `task` row is a task of the list " +
  "`?list=` names (one of yours by name, or a new one), else of the Inbox, in the file's order. CONTENT is the " +
  "title, each `@label` in it a tag; DESCRIPTION the description; PRIORITY 1 (Todoist's p1, its highest) to 4 are " +
  "`high`, `medium`, `low`, `none`; DATE the due date (and time) when it names one day (`2026-10-05`, `2026-10-05 " +
  "15:30`, `Oct 5 2026`, `5 October 2026 at 6pm`), else (recurring, relative) none, with a note. Subtasks (INDENT " +
  "above 1) are tasks of their own, below their parent; `section` rows are noted, `note` rows (comments) refused, " +
  "`meta` and empty rows skipped. Rows are numbered as in a spreadsheet, the header being row 1.\n\n" +
  "The whole body is read and checked first: one that is no export or no Todoist CSV is refused (400, 415, 422) and " +
  "nothing is written. After that, each entry that cannot be imported is listed in `refused` with its reason, and the " +
  `rest is imported. At most ${IMPORT_MAX_BYTES / 1024 / 1024} MiB and ${IMPORT_MAX_TASKS} tasks. Importing the ` +
  "same file twice makes its tasks twice; to retry an upload safely, send an `Idempotency-Key`.";

const csvContent = (description: string) => ({
  "text/csv": { schema: { type: "string", description } },
});

export function transferPaths(): Json {
  return {
    "/api/{userId}/export": {
      parameters: [ref("parameters", "UserId")],
      get: {
        operationId: "exportAccount",
        tags: TRANSFER_TAG,
        summary: "Export the lists, tags and tasks",
        description: EXPORT_DESCRIPTION,
        security: BEARER,
        parameters: queryParameters(ExportQuery),
        responses: {
          200: {
            description: "The export, as a file to save.",
            headers: {
              ...COMMON_HEADERS,
              "Content-Disposition": {
                description:
                  'A download named by the day (UTC): `attachment; filename="tasks-2026-12-03.json"` (or `.csv`).',
                required: true,
                schema: { type: "string", pattern: '^attachment; filename="tasks-\\d{4}-\\d{2}-\\d{2}\\.(json|csv)"$' },
              },
              "Cache-Control": ref("headers", "NoStore"),
              ...API_RATE_LIMIT_HEADERS,
            },
            content: { ...json(ref("schemas", "ExportDocument")), ...csvContent(CSV_DESCRIPTION) },
          },
          ...errorResponses([...TOKEN_ERRORS, "validation_error", ...SERVER_ERRORS], "api"),
        },
      },
      options: preflight("preflightExport", "CORS preflight of the export", ["invalid_path"]),
    },
    "/api/{userId}/import": {
      parameters: [ref("parameters", "UserId")],
      post: {
        operationId: "importAccount",
        tags: TRANSFER_TAG,
        summary: "Import an export, or a Todoist CSV",
        description: IMPORT_DESCRIPTION,
        security: BEARER,
        parameters: [
          ...queryParameters(ImportQuery),
          {
            ...IDEMPOTENCY_KEY_PARAMETER,
            description:
              `${IDEMPOTENCY_KEY_PARAMETER.description} For an import the request is the file: the same key and ` +
              "file answer the first report again. A keyed import is one transaction (a crash imports nothing) of at " +
              `most ${IMPORT_KEYED_MAX_TASKS} tasks (a 422 naming this header beyond).`,
          },
        ],
        requestBody: {
          required: true,
          description:
            `At most ${IMPORT_MAX_BYTES / 1024 / 1024} MiB (413 beyond), UTF-8. JSON as \`application/json\` (or ` +
            "any `application/*+json`), a Todoist CSV as `text/csv`; anything else is a 415.",
          content: {
            ...json(ref("schemas", "ExportDocument")),
            ...csvContent(
              "A Todoist CSV export: a header naming at least TYPE and CONTENT (Todoist writes TYPE, CONTENT, " +
                "DESCRIPTION, PRIORITY, INDENT, AUTHOR, RESPONSIBLE, DATE, DATE_LANG, TIMEZONE, DURATION, " +
                "DURATION_UNIT, DEADLINE, DEADLINE_LANG), RFC 4180 quoting, a byte-order mark allowed.",
            ),
          },
        },
        responses: {
          200: {
            description: "The report: what was imported, and each entry refused with its reason.",
            headers: {
              ...COMMON_HEADERS,
              ...REPLAYED_HEADERS,
              ...API_RATE_LIMIT_HEADERS,
            },
            content: json(ref("schemas", "ImportReport")),
          },
          ...errorResponses([...TOKEN_ERRORS, ...BODY_ERRORS, ...IDEMPOTENCY_ERRORS, ...SERVER_ERRORS], "api"),
        },
      },
      options: preflight("preflightImport", "CORS preflight of the import", ["invalid_path"]),
    },
  };
}
