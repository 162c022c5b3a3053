type Level = "info" | "warn" | "error";

/**
 * One JSON object per line on stdout/stderr, the format log drains (Vercel, Datadog, Loki) parse as is.
 * Callers pass identifiers and measurements only: never a token, a password or a request body.
 */
export function log(level: Level, msg: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields });
  if (level === "info") console.log(line);
  else console[level](line);
}
