type Level = "info" | "warn" | "error";

/**
 * One JSON object per line on stdout/stderr, the format log drains (Vercel, Datadog, Loki) parse as is.
 * Callers pass identifiers and measurements only: never a token, a password or a request body.
 */
export function log(level: Level, msg: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields });
  // An info line (one per request) goes straight to the stream: console's formatting of an already formatted line
  // is a measurable share of a request. Warnings and errors stay on console, where the tests' guard watches.
  if (level === "info") process.stdout.write(`${line}\n`);
  else console[level](line);
}
