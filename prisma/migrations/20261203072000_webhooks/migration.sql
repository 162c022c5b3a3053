-- CreateTable
CREATE TABLE "webhook_endpoints" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" TEXT NOT NULL,
    "url" VARCHAR(2048) NOT NULL,
    "description" VARCHAR(500) NOT NULL DEFAULT '',
    "events" VARCHAR(16)[],
    "secret" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "disabled_reason" VARCHAR(500),
    "disabled_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_endpoints_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_deliveries" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "endpoint_id" UUID NOT NULL,
    "user_id" TEXT NOT NULL,
    "seq" BIGINT NOT NULL,
    "event_type" VARCHAR(16) NOT NULL,
    "state" VARCHAR(16) NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lease_id" UUID,
    "last_status" INTEGER,
    "last_error" VARCHAR(500),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_attempts" (
    "delivery_id" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "duration_ms" INTEGER NOT NULL,
    "status" INTEGER,
    "error" VARCHAR(500),

    CONSTRAINT "webhook_attempts_pkey" PRIMARY KEY ("delivery_id","number")
);

-- CreateIndex
CREATE INDEX "webhook_endpoints_user_id_created_at_idx" ON "webhook_endpoints"("user_id", "created_at");

-- CreateIndex
CREATE INDEX "webhook_deliveries_endpoint_id_created_at_idx" ON "webhook_deliveries"("endpoint_id", "created_at");

-- CreateIndex
CREATE INDEX "webhook_deliveries_user_id_seq_idx" ON "webhook_deliveries"("user_id", "seq");

-- AddForeignKey
ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "webhook_endpoints_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "webhook_endpoints"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_user_id_seq_fkey" FOREIGN KEY ("user_id", "seq") REFERENCES "changes"("user_id", "seq") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_attempts" ADD CONSTRAINT "webhook_attempts_delivery_id_fkey" FOREIGN KEY ("delivery_id") REFERENCES "webhook_deliveries"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Webhooks (docs/decisions/0021-webhooks.md): an outbox written by the change feed's own trigger. For each event
-- changes_record writes, it adds one delivery per enabled endpoint of the user subscribed to the event's type, in
-- the same transaction: a rolled-back change has no delivery, a committed one cannot lose its delivery. A user's
-- first event of a transaction probes once whether the user has an enabled endpoint at all (the partial index
-- below), and remembers the answer for the transaction, as it does the next event number; a user without webhooks
-- pays that one probe per transaction. Deliveries go with their event when the feed prunes it (30 days).
ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "webhook_endpoints_events_check" CHECK (
    cardinality("events") BETWEEN 1 AND 7 AND "events" <@ ARRAY['*', 'task.upserted', 'task.deleted',
    'list.upserted', 'list.deleted', 'tag.upserted', 'tag.deleted']::varchar(16)[]);
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_state_check" CHECK (
    "state" IN ('pending', 'succeeded', 'failed'));

CREATE INDEX "webhook_endpoints_enabled_idx" ON "webhook_endpoints" ("user_id") WHERE "enabled";
-- What the senders claim: the due pending deliveries, oldest due first.
CREATE INDEX "webhook_deliveries_due_idx" ON "webhook_deliveries" ("next_attempt_at") WHERE "state" = 'pending';

CREATE OR REPLACE FUNCTION "changes_record"(p_kind text, p_id uuid, p_user text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    memo text := coalesce(current_setting('taskapp.changes_next', true), '');
    prefix text := p_user || ':';
    next_seq bigint;
    pruned bigint;
    state jsonb;
    kind text;
BEGIN
    IF left(memo, length(prefix)) = prefix THEN
        next_seq := substr(memo, length(prefix) + 1)::bigint;
    ELSE
        SELECT pruned_through INTO pruned FROM change_feeds WHERE user_id = p_user FOR NO KEY UPDATE;
        IF NOT FOUND THEN
            INSERT INTO change_feeds (user_id)
            SELECT p_user WHERE EXISTS (SELECT 1 FROM "user" WHERE id = p_user)
            ON CONFLICT (user_id) DO NOTHING;
            SELECT pruned_through INTO pruned FROM change_feeds WHERE user_id = p_user FOR NO KEY UPDATE;
        END IF;
        IF NOT FOUND THEN
            next_seq := 0;
        ELSE
            next_seq := coalesce((SELECT max(seq) FROM changes WHERE user_id = p_user), pruned) + 1;
            PERFORM changes_prune(p_user);
            PERFORM set_config('taskapp.webhooks', prefix || (EXISTS (
                SELECT 1 FROM webhook_endpoints WHERE user_id = p_user AND enabled))::text, true);
        END IF;
    END IF;
    IF next_seq = 0 THEN
        PERFORM set_config('taskapp.changes_next', prefix || '0', true);
        RETURN;
    END IF;
    IF p_kind = 'task' THEN
        SELECT to_jsonb(t) || jsonb_build_object('tags', coalesce(
            (SELECT jsonb_agg(g.name) FROM task_tags tt JOIN tags g ON g.id = tt.tag_id WHERE tt.task_id = t.id),
            '[]'::jsonb))
        INTO state FROM tasks t WHERE t.id = p_id AND t.user_id = p_user;
    ELSIF p_kind = 'list' THEN
        SELECT to_jsonb(l) INTO state FROM lists l WHERE l.id = p_id AND l.user_id = p_user;
    ELSE
        SELECT to_jsonb(g) || jsonb_build_object('task_count', (SELECT count(*) FROM task_tags tt WHERE tt.tag_id = g.id))
        INTO state FROM tags g WHERE g.id = p_id AND g.user_id = p_user;
    END IF;
    kind := p_kind || CASE WHEN state IS NULL THEN '.deleted' ELSE '.upserted' END;
    INSERT INTO changes (user_id, seq, type, object_id, data, created_at)
    VALUES (p_user, next_seq, kind, p_id, state, clock_timestamp());
    IF current_setting('taskapp.webhooks', true) = prefix || 'true' THEN
        INSERT INTO webhook_deliveries (endpoint_id, user_id, seq, event_type)
        SELECT id, p_user, next_seq, kind FROM webhook_endpoints
        WHERE user_id = p_user AND enabled AND events && ARRAY['*', kind]::varchar(16)[];
    END IF;
    PERFORM set_config('taskapp.changes_next', prefix || (next_seq + 1), true);
    PERFORM pg_notify('taskapp_changes', p_user);
END $$;
