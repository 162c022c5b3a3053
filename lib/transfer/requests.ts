import "server-only";
import { isJsonMediaType, mediaTypeOf, readBodyBytes, readJsonBody } from "../http/body";
import { ApiError } from "../http/errors";
import { validate, validateQuery } from "../http/validate";
import { IDEMPOTENCY_KEY_HEADER } from "../idempotency/key";
import { planDocumentImport } from "./document-plan";
import type { ImportPlan } from "./plan";
import {
  ExportDocument,
  type ExportFormat,
  ExportQuery,
  IMPORT_KEYED_MAX_TASKS,
  IMPORT_MAX_BYTES,
  ImportQuery,
} from "./schema";
import { planTodoistImport } from "./todoist";

/** `?format=` first; without it `Accept: text/csv` (ahead of JSON, if both) asks for CSV; else JSON. */
export function exportFormatOf(request: Request): ExportFormat {
  const { format } = validateQuery(ExportQuery, request.url);
  if (format) return format;
  const accept = request.headers.get("accept") ?? "";
  const csv = accept.search(/\btext\/csv\b/i);
  const json = accept.search(/\bapplication\/json\b/i);
  return csv >= 0 && (json < 0 || csv < json) ? "csv" : "json";
}

const unsupported = () =>
  new ApiError(
    "unsupported_media_type",
    "Send an export of this app as `Content-Type: application/json`, or a Todoist CSV export as `text/csv`.",
  );

async function csvText(request: Request): Promise<string> {
  const bytes = await readBodyBytes(request, IMPORT_MAX_BYTES);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new ApiError("validation_error", "The CSV is not valid UTF-8 (Todoist exports UTF-8).", {
      fields: [{ field: "(body)", message: "the CSV must be UTF-8" }],
    });
  }
}

/**
 * The import a request asks for, read and checked in full before anything is written, and its source (the parsed
 * JSON, or the CSV's text): what makes two requests under one Idempotency-Key the same.
 */
export async function readImport(request: Request): Promise<{ source: unknown; plan: ImportPlan }> {
  const read = await readSource(request);
  if (request.headers.has(IDEMPOTENCY_KEY_HEADER) && read.plan.tasks.length > IMPORT_KEYED_MAX_TASKS) {
    const message = `an import under an Idempotency-Key holds at most ${IMPORT_KEYED_MAX_TASKS} tasks; split the file`;
    throw new ApiError("validation_error", `The request is invalid: ${message}.`, {
      fields: [{ field: IDEMPOTENCY_KEY_HEADER, message }],
    });
  }
  return read;
}

async function readSource(request: Request): Promise<{ source: unknown; plan: ImportPlan }> {
  const { list } = validateQuery(ImportQuery, request.url);
  const mediaType = mediaTypeOf(request.headers);
  if (isJsonMediaType(mediaType)) {
    const source = await readJsonBody(request, IMPORT_MAX_BYTES);
    return { source, plan: planDocumentImport(validate(ExportDocument, source)) };
  }
  if (mediaType === "text/csv") {
    const source = await csvText(request);
    return { source, plan: planTodoistImport(source, list) };
  }
  throw unsupported();
}
