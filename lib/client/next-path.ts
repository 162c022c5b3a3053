// Shared by server pages and client forms: where to go after signing in.

export const DEFAULT_AFTER_SIGN_IN = "/tasks";

const ORIGIN = "http://same-site.invalid";
const AUTH_PAGES = new Set(["/sign-in", "/sign-up"]);

/** A path whose first segment is empty (`//host`, `/\\host`) is another host to a browser, however it was spelt. */
const OTHER_HOST = /^[/\\]{2}/;

function decodedOnce(path: string): string | undefined {
  try {
    return decodeURIComponent(path);
  } catch {
    return undefined;
  }
}

/**
 * Returns `next` when it is a same-site relative path ("/tasks?filter=active"), else undefined. What is returned is
 * the path as a browser resolves it (dot-segments removed), so it is checked in that form: `/..//evil.example` and
 * `/.//evil.example` resolve to `//evil.example` and are refused, and so is anything that becomes such a path once
 * percent-decoded (`/%2F%2Fevil.example`). Also refused: absolute URLs, other schemes, backslashes, control
 * characters, the API and the auth pages themselves (which would loop).
 */
export function safeNextPath(next: string | string[] | null | undefined): string | undefined {
  const value = Array.isArray(next) ? next[0] : next;
  if (!value?.startsWith("/") || OTHER_HOST.test(value) || value.includes("\\")) return undefined;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point.
  if (/[\u0000-\u001f\u007f]/.test(value)) return undefined;
  let url: URL;
  try {
    url = new URL(value, ORIGIN);
  } catch {
    return undefined;
  }
  if (url.origin !== ORIGIN) return undefined;
  const decoded = decodedOnce(url.pathname);
  if (decoded === undefined || OTHER_HOST.test(url.pathname) || OTHER_HOST.test(decoded)) return undefined;
  if (decoded.includes("\\") || /%2e|%2f|%5c/i.test(url.pathname)) return undefined;
  if (AUTH_PAGES.has(url.pathname) || url.pathname.startsWith("/api/")) return undefined;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** `/sign-in?next=/tasks`: the slashes of `next` stay readable, everything else is encoded. */
export function withNext(page: "/sign-in" | "/sign-up", next: string | undefined): string {
  if (!next) return page;
  return `${page}?next=${encodeURIComponent(next).replaceAll("%2F", "/")}`;
}
