// The API token (a Better Auth JWT) for the signed-in browser: kept in memory only, renewed before it
// expires, and fetched again on demand when the API refuses it.

const TOKEN_URL = "/api/auth/token";
/** Renew this long before the token expires (or at half its life for very short tokens). */
const RENEW_BEFORE_MS = 60_000;
/** Assumed lifetime when a token carries no readable `exp` (Better Auth's default is 15 minutes). */
const FALLBACK_LIFETIME_MS = 15 * 60_000;

/** The session behind the token is gone (signed out, expired): the user must sign in again. */
export class SessionEndedError extends Error {
  constructor() {
    super("Your session has ended. Sign in again.");
    this.name = "SessionEndedError";
  }
}

/** The token could not be fetched: the network or the server failed. */
export class TokenUnavailableError extends Error {
  readonly status: number;
  constructor(status: number) {
    super(status === 0 ? "Couldn't reach the server." : `The server could not issue a token (HTTP ${status}).`);
    this.name = "TokenUnavailableError";
    this.status = status;
  }
}

interface CachedToken {
  token: string;
  /** Local clock, ms. */
  renewAt: number;
  expiresAt: number;
}

let cached: CachedToken | undefined;
let inflight: Promise<string> | undefined;
let renewTimer: ReturnType<typeof setTimeout> | undefined;

function base64UrlDecode(segment: string): string {
  const base64 = segment.replaceAll("-", "+").replaceAll("_", "/");
  const binary = atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, "="));
  return new TextDecoder().decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)));
}

/** The `iat` and `exp` claims (seconds), read without verifying: the server verifies, we only schedule. */
export function readTokenTimes(token: string): { iat?: number; exp?: number } {
  try {
    const payload: unknown = JSON.parse(base64UrlDecode(token.split(".")[1] ?? ""));
    if (typeof payload !== "object" || payload === null) return {};
    const { iat, exp } = payload as { iat?: unknown; exp?: unknown };
    return {
      iat: typeof iat === "number" ? iat : undefined,
      exp: typeof exp === "number" ? exp : undefined,
    };
  } catch {
    return {};
  }
}

/**
 * When to renew and when the token expires, on the local clock. The lifetime is `exp - iat`, counted
 * from when the token arrived, so a browser clock that is minutes off does not matter.
 */
export function tokenSchedule(token: string, receivedAt: number): { renewAt: number; expiresAt: number } {
  const { iat, exp } = readTokenTimes(token);
  let lifetime = FALLBACK_LIFETIME_MS;
  if (exp !== undefined && iat !== undefined && exp > iat) lifetime = (exp - iat) * 1000;
  else if (exp !== undefined) lifetime = Math.max(0, exp * 1000 - receivedAt);
  const expiresAt = receivedAt + lifetime;
  return { expiresAt, renewAt: expiresAt - Math.min(RENEW_BEFORE_MS, lifetime / 2) };
}

function scheduleRenewal(renewAt: number) {
  clearTimeout(renewTimer);
  renewTimer = setTimeout(
    () => {
      // A hidden tab renews lazily, on its next request: no token minting for a tab nobody looks at.
      if (typeof document !== "undefined" && document.visibilityState === "hidden") return;
      fetchNewToken().catch(() => {
        // The next request retries and reports the problem.
      });
    },
    Math.max(0, renewAt - Date.now()),
  );
}

async function requestToken(): Promise<string> {
  let response: Response;
  try {
    response = await fetch(TOKEN_URL, {
      credentials: "same-origin",
      cache: "no-store",
      headers: { Accept: "application/json" },
    });
  } catch {
    throw new TokenUnavailableError(0);
  }
  if (response.status === 401) {
    clearToken();
    throw new SessionEndedError();
  }
  if (!response.ok) throw new TokenUnavailableError(response.status);
  const body: unknown = await response.json().catch(() => undefined);
  const token = (body as { token?: unknown } | undefined)?.token;
  if (typeof token !== "string" || token.split(".").length !== 3) throw new TokenUnavailableError(response.status);
  const receivedAt = Date.now();
  const { renewAt, expiresAt } = tokenSchedule(token, receivedAt);
  cached = { token, renewAt, expiresAt };
  scheduleRenewal(renewAt);
  return token;
}

/** One request at a time: concurrent callers share it. */
function fetchNewToken(): Promise<string> {
  inflight ??= requestToken().finally(() => {
    inflight = undefined;
  });
  return inflight;
}

/** A token that is valid for at least about a minute, from memory when possible. */
export function getToken(): Promise<string> {
  if (cached && Date.now() < cached.renewAt) return Promise.resolve(cached.token);
  return fetchNewToken();
}

/**
 * A new token after the API refused `rejected`. If another request already replaced it, that newer
 * token is returned instead of fetching yet another one.
 */
export function renewToken(rejected: string): Promise<string> {
  if (cached && cached.token !== rejected && Date.now() < cached.expiresAt) return Promise.resolve(cached.token);
  if (cached?.token === rejected) cached = undefined;
  return fetchNewToken();
}

/** The token in memory, if it has not expired: for requests that cannot wait (sent while the page unloads). */
export function peekToken(): string | undefined {
  return cached && Date.now() < cached.expiresAt ? cached.token : undefined;
}

/** Forget the token (on sign-out). */
export function clearToken(): void {
  cached = undefined;
  clearTimeout(renewTimer);
  renewTimer = undefined;
}
