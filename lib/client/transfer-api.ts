// The browser's client for import and export (`/api/{userId}/export`, `/api/{userId}/import`): files, not JSON
// calls, so it sends and reads bodies itself; the token, its one renewal on a 401, and the typed failures are the
// task client's.

import { type ExportFormat, ImportReport } from "@/lib/transfer/schema";
import { type ApiResult, errorFromResponse, networkFailure, tokenFailure, unreadableAnswer } from "./tasks-api";
import { getToken, renewToken } from "./token";

export type { ExportFormat, ImportReport };

/** A file the export gave: its bytes and the name the server chose for it. */
export interface ExportFile {
  blob: Blob;
  filename: string;
}

export interface TransferApi {
  exportFile(format: ExportFormat, signal?: AbortSignal): Promise<ApiResult<ExportFile>>;
  /** A JSON export of this app, or a Todoist CSV (into `listName`, or the Inbox). */
  importFile(file: File, listName?: string): Promise<ApiResult<ImportReport>>;
}

const FILENAME = /filename="([^"]+)"/;

/** How the import names a file's kind: by its type, else by its extension. */
export function importContentType(file: File): string {
  if (file.type === "text/csv" || /\.csv$/i.test(file.name)) return "text/csv";
  return "application/json";
}

export function createTransferApi(userId: string): TransferApi {
  const user = `/api/${encodeURIComponent(userId)}`;

  /** One request with the token; a 401 renews it once and tries again. */
  async function authorized(path: string, init: RequestInit): Promise<Response | ApiResult<never>> {
    let token: string;
    try {
      token = await getToken();
    } catch (error) {
      return tokenFailure(error);
    }
    const send = (bearer: string) =>
      fetch(path, {
        ...init,
        headers: { ...init.headers, Authorization: `Bearer ${bearer}` },
        cache: "no-store",
        credentials: "omit",
      });
    try {
      const response = await send(token);
      if (response.status !== 401) return response;
      try {
        return await send(await renewToken(token));
      } catch (error) {
        return tokenFailure(error);
      }
    } catch {
      return networkFailure();
    }
  }

  return {
    async exportFile(format, signal) {
      const response = await authorized(`${user}/export?format=${format}`, { method: "GET", signal });
      if (!(response instanceof Response)) return response;
      if (!response.ok) return errorFromResponse(response);
      const filename = FILENAME.exec(response.headers.get("content-disposition") ?? "")?.[1] ?? `tasks.${format}`;
      return { ok: true, data: { blob: await response.blob(), filename } };
    },

    async importFile(file, listName) {
      const query = listName ? `?${new URLSearchParams({ list: listName })}` : "";
      const response = await authorized(`${user}/import${query}`, {
        method: "POST",
        headers: { "Content-Type": importContentType(file), Accept: "application/json" },
        body: file,
      });
      if (!(response instanceof Response)) return response;
      if (!response.ok) return errorFromResponse(response);
      const report = ImportReport.safeParse(await response.json().catch(() => undefined));
      if (!report.success) return unreadableAnswer(response.status);
      return { ok: true, data: report.data };
    },
  };
}
