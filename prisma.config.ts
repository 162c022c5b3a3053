import path from "node:path";
import { defineConfig } from "prisma/config";

// The CLI fetches a native schema engine before any command, even `generate`, which needs none.
// Naming an existing file skips that download; migrations run through scripts/db.ts instead.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.resolve("package.json");

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "" },
});
