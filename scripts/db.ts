// `node scripts/db.ts migrate | create <name> | check | status`: Prisma Migrate without its native schema engine.
import { applyMigrations, createMigration, diffMigrationsToSchema, migrationStatus } from "./migrations.ts";

const USAGE = "Usage: node scripts/db.ts migrate | create <name> | check | status";

function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: point it at the PostgreSQL database to migrate.");
  return url;
}

async function run(command: string | undefined, name: string | undefined): Promise<number> {
  switch (command) {
    case "migrate": {
      const applied = await applyMigrations(databaseUrl());
      console.log(applied.length > 0 ? `Applied migrations: ${applied.join(", ")}` : "No pending migrations.");
      return 0;
    }
    case "create": {
      if (!name) break;
      const created = await createMigration(name);
      console.log(created ? `Created prisma/migrations/${created}/migration.sql` : "No schema changes to migrate.");
      return 0;
    }
    case "check": {
      const drift = await diffMigrationsToSchema();
      if (!drift) {
        console.log("OK: prisma/migrations matches prisma/schema.prisma.");
        return 0;
      }
      console.error("prisma/schema.prisma has changes no migration covers; run `npm run db:migrate:create -- <name>`.");
      console.error("Missing SQL:\n");
      console.error(drift);
      return 1;
    }
    case "status":
      console.log(await migrationStatus(databaseUrl()));
      return 0;
  }
  console.error(USAGE);
  return 2;
}

try {
  process.exitCode = await run(process.argv[2], process.argv[3]);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
