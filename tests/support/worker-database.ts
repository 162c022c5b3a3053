import { inject } from "vitest";
import { startEmbeddedPostgres } from "../../scripts/embedded-postgres.ts";
import { applyMigrations } from "../../scripts/migrations.ts";
import { adminQuery, databaseUrl, serverUrl } from "./postgres.ts";

// Setup files run before every test file; the worker process keeps its database across files.
const MARKER = "TASKAPP_WORKER_DATABASE";

if (process.env[MARKER] !== "ready") {
  const template = inject("templateDatabase");
  const server = serverUrl();
  if (template && server) {
    const database = `taskapp_worker_${inject("runId")}_${process.pid}`;
    await adminQuery(server, `CREATE DATABASE "${database}" TEMPLATE "${template}"`);
    process.env.DATABASE_URL = databaseUrl(server, database);
  } else {
    const embedded = await startEmbeddedPostgres({});
    await applyMigrations(embedded.url);
    process.env.DATABASE_URL = embedded.url;
  }
  process.env[MARKER] = "ready";
}
