-- CreateExtension (trusted since PostgreSQL 13, so the database owner may create it; Neon ships it).
-- Not declared in schema.prisma: that needs the postgresqlExtensions preview, whose diff in PGlite never sees it
-- installed, so `db:check` would always report drift.
CREATE EXTENSION IF NOT EXISTS "pg_trgm";

-- DropIndex
DROP INDEX "tasks_user_id_created_at_idx";

-- DropIndex
DROP INDEX "tasks_user_id_idx";

-- AlterTable
ALTER TABLE "tasks" ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 1;

-- CreateIndex
CREATE INDEX "tasks_user_id_created_at_id_idx" ON "tasks"("user_id", "created_at", "id");

-- CreateIndex
CREATE INDEX "tasks_user_id_updated_at_id_idx" ON "tasks"("user_id", "updated_at", "id");

-- CreateIndex
CREATE INDEX "tasks_user_id_title_id_idx" ON "tasks"("user_id", "title", "id");

-- CreateIndex
CREATE INDEX "tasks_title_trgm_idx" ON "tasks" USING GIN ("title" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "tasks_description_trgm_idx" ON "tasks" USING GIN ("description" gin_trgm_ops);
