-- AlterTable
ALTER TABLE "tasks" ADD COLUMN     "due_date" DATE,
ADD COLUMN     "due_time" TIME(0),
ADD COLUMN     "list_id" UUID,
ADD COLUMN     "position" VARCHAR(255) COLLATE "C",
ADD COLUMN     "priority" SMALLINT NOT NULL DEFAULT 0;

-- Existing tasks keep their newest-first order: fractional-index integer keys "d" + 4 base-62 digits (lib/tasks/position.ts).
UPDATE "tasks" SET "position" = ranked."position"
FROM (
    SELECT "id", 'd' || substr(d, (n / 238328) % 62 + 1, 1) || substr(d, (n / 3844) % 62 + 1, 1)
        || substr(d, (n / 62) % 62 + 1, 1) || substr(d, n % 62 + 1, 1) AS "position"
    FROM (
        SELECT "id", '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz' AS d,
            (row_number() OVER (PARTITION BY "user_id" ORDER BY "created_at" DESC, "id" DESC) - 1)::int AS n
        FROM "tasks"
    ) numbered
) ranked
WHERE "tasks"."id" = ranked."id";

ALTER TABLE "tasks" ALTER COLUMN "position" SET NOT NULL;

-- A due time belongs to a due date (lib/tasks/repository.ts turns a violation into a 422).
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_due_time_needs_date" CHECK ("due_time" IS NULL OR "due_date" IS NOT NULL);

-- AlterTable
ALTER TABLE "user" ADD COLUMN     "time_zone" TEXT;

-- CreateTable
CREATE TABLE "lists" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" VARCHAR(100) NOT NULL,
    "name_key" VARCHAR(400) NOT NULL,
    "position" VARCHAR(255) COLLATE "C" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "version" INTEGER NOT NULL DEFAULT 1,
    "user_id" TEXT NOT NULL,

    CONSTRAINT "lists_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tags" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" VARCHAR(50) NOT NULL,
    "name_key" VARCHAR(200) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "user_id" TEXT NOT NULL,

    CONSTRAINT "tags_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "task_tags" (
    "task_id" UUID NOT NULL,
    "tag_id" UUID NOT NULL,

    CONSTRAINT "task_tags_pkey" PRIMARY KEY ("task_id","tag_id")
);

-- CreateIndex
CREATE INDEX "lists_user_id_position_id_idx" ON "lists"("user_id", "position", "id");

-- CreateIndex
CREATE UNIQUE INDEX "lists_id_user_id_key" ON "lists"("id", "user_id");

-- CreateIndex
CREATE UNIQUE INDEX "lists_user_id_name_key_key" ON "lists"("user_id", "name_key");

-- CreateIndex
CREATE UNIQUE INDEX "tags_user_id_name_key_key" ON "tags"("user_id", "name_key");

-- CreateIndex
CREATE INDEX "task_tags_tag_id_task_id_idx" ON "task_tags"("tag_id", "task_id");

-- CreateIndex
CREATE INDEX "tasks_user_id_due_date_due_time_id_idx" ON "tasks"("user_id", "due_date", "due_time", "id");

-- CreateIndex
CREATE INDEX "tasks_user_id_priority_id_idx" ON "tasks"("user_id", "priority", "id");

-- CreateIndex
CREATE INDEX "tasks_user_id_list_id_position_id_idx" ON "tasks"("user_id", "list_id", "position", "id");

-- CreateIndex
CREATE INDEX "tasks_user_id_list_id_created_at_id_idx" ON "tasks"("user_id", "list_id", "created_at", "id");

-- AddForeignKey
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_list_id_user_id_fkey" FOREIGN KEY ("list_id", "user_id") REFERENCES "lists"("id", "user_id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lists" ADD CONSTRAINT "lists_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tags" ADD CONSTRAINT "tags_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "task_tags" ADD CONSTRAINT "task_tags_task_id_fkey" FOREIGN KEY ("task_id") REFERENCES "tasks"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "task_tags" ADD CONSTRAINT "task_tags_tag_id_fkey" FOREIGN KEY ("tag_id") REFERENCES "tags"("id") ON DELETE CASCADE ON UPDATE CASCADE;
