// `node scripts/dev.ts [--start] [args]`: `next dev` (or the production server, scripts/start.ts, with --start), on an
// embedded PostgreSQL in .data/pglite unless DATABASE_URL is set.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseEnv } from "node:util";
import { type EmbeddedPostgres, startEmbeddedPostgres } from "./embedded-postgres.ts";
import { applyMigrations } from "./migrations.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DATA_DIR = path.join(ROOT, ".data");
const SECRET_FILE = path.join(DATA_DIR, "dev-secret");

const args = process.argv.slice(2);
const command = args.includes("--start") ? "start" : "dev";
const nextArgs = args.filter((arg) => arg !== "--start");

// Next reads the .env files only in the child, so read them here too (same precedence, existing variables win):
// a DATABASE_URL or secret set there must not be shadowed by the embedded defaults.
const mode = command === "dev" ? "development" : "production";
for (const file of [`.env.${mode}.local`, ".env.local", `.env.${mode}`, ".env"]) {
  const text = await readFile(path.join(ROOT, file), "utf8").catch(() => "");
  for (const [key, value] of Object.entries(parseEnv(text))) process.env[key] ??= value;
}

/** Kept on disk so that sessions survive restarts. */
async function devSecret(): Promise<string> {
  const saved = (await readFile(SECRET_FILE, "utf8").catch(() => "")).trim();
  if (saved) return saved;
  const secret = randomBytes(32).toString("hex");
  await mkdir(DATA_DIR, { recursive: true });
  await writeFile(SECRET_FILE, secret, { mode: 0o600 });
  return secret;
}

// PGLITE_DATA_DIR=memory gives a throwaway database (the end-to-end tests use one per run).
const dataDir = process.env.PGLITE_DATA_DIR || path.join(DATA_DIR, "pglite");

/** Starts PGlite on .data/pglite, migrates it and points the child's environment at it. */
async function embeddedDatabase(): Promise<EmbeddedPostgres> {
  // The first start runs initdb, which takes a while.
  console.log(`Starting the embedded PostgreSQL (PGlite) in ${dataDir}...`);
  const database = await startEmbeddedPostgres({ dataDir: dataDir === "memory" ? undefined : dataDir });
  try {
    const applied = await applyMigrations(database.url);
    if (applied.length > 0) console.log(`Applied migrations: ${applied.join(", ")}`);
  } catch (error) {
    await database.stop();
    throw error;
  }
  console.log(`Embedded PostgreSQL ready at ${database.url}`);
  process.env.DATABASE_URL = database.url;
  if (!process.env.BETTER_AUTH_SECRET) {
    process.env.BETTER_AUTH_SECRET = await devSecret();
    console.warn("BETTER_AUTH_SECRET is not set: using a development-only secret kept in .data/dev-secret");
  }
  process.env.BETTER_AUTH_URL ??= `http://localhost:${process.env.PORT ?? 3000}`;
  // A local try-out serves its own pages only (production refuses to guess this).
  process.env.CORS_ORIGINS ??= process.env.BETTER_AUTH_URL;
  // pglite-socket delivers no NOTIFY, so the live events poll the feed instead.
  process.env.CHANGES_POLL_MS ??= "500";
  return database;
}

const database = process.env.DATABASE_URL ? undefined : await embeddedDatabase();

const [program, programArgs] =
  command === "start"
    ? [process.execPath, [path.join(ROOT, "scripts/start.ts"), ...nextArgs]]
    : [path.join(ROOT, "node_modules/.bin/next"), ["dev", ...nextArgs]];
const child = spawn(program, programArgs, { cwd: ROOT, stdio: "inherit" });

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => child.kill(signal));
}

// "close" also follows a failed spawn, which only emits "error".
child.on("error", (error) => console.error(`Could not run next: ${error.message}`));
child.on("close", async (code) => {
  await database?.stop();
  process.exit(code ?? 1);
});
