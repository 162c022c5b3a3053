import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { startEmbeddedPostgres } from "../../scripts/embedded-postgres.ts";
import { applyMigrations, DEFAULT_PATHS, diffMigrationsToSchema } from "../../scripts/migrations.ts";
import { adminQuery, databaseUrl } from "../support/postgres.ts";

// Each diff boots an in-memory PGlite and replays every migration into it.
const SLOW_MS = 120_000;

const server = process.env.TEST_DATABASE_URL;

/** An empty database on TEST_DATABASE_URL's server when set, else in an embedded in-memory PGlite. */
async function withFreshDatabase(run: (url: string) => Promise<void>): Promise<void> {
  if (!server) {
    const embedded = await startEmbeddedPostgres({});
    try {
      await run(embedded.url);
    } finally {
      await embedded.stop();
    }
    return;
  }
  const name = `taskapp_migrations_${Date.now().toString(36)}_${process.pid}`;
  await adminQuery(server, `CREATE DATABASE "${name}"`);
  try {
    await run(databaseUrl(server, name));
  } finally {
    await adminQuery(server, `DROP DATABASE "${name}" WITH (FORCE)`);
  }
}

async function migrationNames(): Promise<string[]> {
  const entries = await readdir(DEFAULT_PATHS.migrations, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

describe("prisma/migrations", () => {
  it(
    "match schema.prisma (if not, run `npm run db:migrate:create -- <name>`)",
    async () => {
      expect(await diffMigrationsToSchema()).toBe("");
    },
    SLOW_MS,
  );

  it(
    "are reported as out of date when schema.prisma gains a model",
    async () => {
      const dir = await mkdtemp(path.join(tmpdir(), "taskapp-schema-"));
      try {
        const schema = path.join(dir, "schema.prisma");
        await writeFile(
          schema,
          `${await readFile(DEFAULT_PATHS.schema, "utf8")}\nmodel DriftProbe {\n  id Int @id\n}\n`,
        );
        expect(await diffMigrationsToSchema({ ...DEFAULT_PATHS, schema })).toContain('CREATE TABLE "DriftProbe"');
      } finally {
        await rm(dir, { recursive: true });
      }
    },
    SLOW_MS,
  );

  it(
    "apply to a fresh database once, then have nothing left to apply",
    async () => {
      const names = await migrationNames();
      await withFreshDatabase(async (url) => {
        expect(await applyMigrations(url)).toEqual(names);
        expect(await applyMigrations(url)).toEqual([]);
      });
    },
    SLOW_MS,
  );

  // PGlite has a single session, so only a real server can show the advisory lock at work.
  it.runIf(server)(
    "apply once when two runs race",
    async () => {
      const names = await migrationNames();
      await withFreshDatabase(async (url) => {
        const runs = await Promise.all([applyMigrations(url), applyMigrations(url)]);
        expect(runs.flat().sort()).toEqual(names);
      });
    },
    SLOW_MS,
  );
});
