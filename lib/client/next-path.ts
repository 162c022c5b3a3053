// Shared by server pages and client forms: where to go after signing in.

export const DEFAULT_AFTER_SIGN_IN = "/tasks";

const ORIGIN = "http://same-site.invalid";
const AUTH_PAGES = new Set(["/sign-in", "/sign-up"]);

/**
 * Returns `next` when it is a same-site relative path ("/tasks?filter=active"), else undefined.
 * Refuses absolute and protocol-relative URLs ("//evil.example", "/\\evil.example"), other schemes,
 * control characters, the API and the auth pages themselves (which would loop).
 */
export function safeNextPath(next: string | string[] | null | undefined): string | undefined {
  const value = Array.isArray(next) ? next[0] : next;
  if (!value?.startsWith("/") || value.startsWith("//") || value.includes("\\")) return undefined;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point.
  if (/[\u0000-\u001f\u007f]/.test(value)) return undefined;
  let url: URL;
  try {
    url = new URL(value, ORIGIN);
  } catch {
    return undefined;
  }
  if (url.origin !== ORIGIN) return undefined;
  if (AUTH_PAGES.has(url.pathname) || url.pathname.startsWith("/api/")) return undefined;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** `/sign-in?next=/tasks`: the slashes of `next` stay readable, everything else is encoded. */
export function withNext(page: "/sign-in" | "/sign-up", next: string | undefined): string {
  if (!next) return page;
  return `${page}?next=${encodeURIComponent(next).replaceAll("%2F", "/")}`;
}
