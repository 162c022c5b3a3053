// What the tokens section says about a token: its access, its dates, and the API's refusals.

import { describeApiError } from "@/components/tasks/api-messages";
import { ApiFailure } from "@/lib/client/tasks-api";
import type { PersonalToken } from "@/lib/client/tokens-api";
import type { TokenScope } from "@/lib/tokens/schema";

export const SCOPE_LABEL: Record<TokenScope, string> = {
  "tasks:read": "Read only",
  "tasks:read tasks:write": "Read & write",
};

const DAY_MS = 24 * 60 * 60 * 1000;

const dateFormat = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", year: "numeric" });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });

export const formatDate = (iso: string) => dateFormat.format(new Date(iso));

/** "just now", "5 minutes ago", "yesterday", else the date. */
export function formatLastUsed(iso: string | null, now = Date.now()): string {
  if (!iso) return "Never used";
  const elapsedMs = now - Date.parse(iso);
  const minutes = Math.round(elapsedMs / 60_000);
  if (minutes < 1) return "Last used just now";
  if (minutes < 60) return `Last used ${relative.format(-minutes, "minute")}`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `Last used ${relative.format(-hours, "hour")}`;
  const days = Math.round(elapsedMs / DAY_MS);
  if (days < 7) return `Last used ${relative.format(-days, "day")}`;
  return `Last used ${formatDate(iso)}`;
}

export const isExpired = (token: PersonalToken, now = Date.now()) =>
  token.expires_at !== null && Date.parse(token.expires_at) <= now;

export function formatExpiry(token: PersonalToken, now = Date.now()): string {
  if (token.expires_at === null) return "Never expires";
  return `${isExpired(token, now) ? "Expired" : "Expires"} ${formatDate(token.expires_at)}`;
}

/** A sentence for the form or dialog that asked. */
export function describeTokenError(error: unknown): string {
  if (!(error instanceof ApiFailure)) return "Something went wrong. Try again.";
  const { apiError } = error;
  if (apiError.status === 409) return apiError.detail;
  if (apiError.status === 404) return "This token no longer exists; it may have been revoked elsewhere.";
  return describeApiError(apiError);
}
