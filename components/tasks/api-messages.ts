// What the task page says when the API refuses or fails: the sentences live here, not in the API client.

import { type ApiError, capitalize } from "@/lib/client/tasks-api";

/** Shown when a write was refused with 412: the task on screen is replaced by the server's version. */
export const CHANGED_ELSEWHERE = "This task was changed elsewhere — showing the latest version.";

/** A sentence for an alert: what failed and, when it helps, why. */
export function describeApiError(error: ApiError): string {
  if (error.kind === "network" || error.kind === "session") return error.detail;
  if (error.status === 401) return "We couldn't confirm it's you. Try again, or sign out and sign in again.";
  if (error.status === 403) return "This list belongs to another account. Sign out and sign in again.";
  if (error.status === 404) return "It no longer exists; it may have been deleted elsewhere.";
  if (error.status === 412) return CHANGED_ELSEWHERE;
  if (error.status === 422 && error.fields.length > 0) {
    return error.fields
      .map((problem) => capitalize(problem.message))
      .join(". ")
      .concat(".");
  }
  if (error.status === 503) return "The service is temporarily unavailable. Try again in a moment.";
  if (error.status >= 500) return "The server had a problem. Try again in a moment.";
  return error.detail;
}

/** A task's title in quotes for a message, shortened past 60 characters. */
export function quote(title: string): string {
  const chars = [...title];
  return `“${chars.length > 60 ? `${chars.slice(0, 57).join("")}…` : title}”`;
}
