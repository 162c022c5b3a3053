import type { TestProject } from "vitest/node";
import { applyMigrations } from "../../scripts/migrations.ts";
import { adminQuery, databaseUrl, serverUrl } from "./postgres.ts";

declare module "vitest" {
  export interface ProvidedContext {
    templateDatabase: string | null;
    runId: string;
  }
}

/**
 * Against a real PostgreSQL, migrates one template database per run; each worker then copies it
 * (CREATE DATABASE … TEMPLATE), which is far cheaper than migrating per worker. Without a server the
 * workers start embedded in-memory databases of their own.
 */
export default async function setup(project: TestProject) {
  const runId = `${Date.now().toString(36)}_${process.pid}`;
  project.provide("runId", runId);
  const server = serverUrl();
  if (!server) {
    project.provide("templateDatabase", null);
    return;
  }
  const template = `taskapp_template_${runId}`;
  await adminQuery(server, `CREATE DATABASE "${template}"`);
  await applyMigrations(databaseUrl(server, template));
  project.provide("templateDatabase", template);

  return async () => {
    const { rows } = await adminQuery(
      server,
      `SELECT datname FROM pg_database WHERE datname LIKE 'taskapp\\_%' AND datname LIKE '%${runId}%'`,
    );
    for (const { datname } of rows as { datname: string }[]) {
      await adminQuery(server, `DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  };
}
