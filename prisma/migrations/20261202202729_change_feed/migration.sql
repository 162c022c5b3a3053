-- CreateTable
CREATE TABLE "change_feeds" (
    "user_id" TEXT NOT NULL,
    "pruned_through" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "change_feeds_pkey" PRIMARY KEY ("user_id")
);

-- CreateTable
CREATE TABLE "changes" (
    "user_id" TEXT NOT NULL,
    "seq" BIGINT NOT NULL,
    "type" VARCHAR(16) NOT NULL,
    "object_id" UUID NOT NULL,
    "data" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "changes_pkey" PRIMARY KEY ("user_id","seq")
);

-- AddForeignKey
ALTER TABLE "change_feeds" ADD CONSTRAINT "change_feeds_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "changes" ADD CONSTRAINT "changes_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "change_feeds"("user_id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The change feed (docs/decisions/0016-change-feed.md). Every committed change of a task, list or tag is an event in
-- "changes", numbered per user in commit order with no gaps: the triggers below run at COMMIT (deferred), lock the
-- user's "change_feeds" row, read the object's state as committed, and write one event per object the transaction
-- changed, in the order it first touched them. Nothing here runs for a rolled-back transaction, and an error here
-- fails the COMMIT, so no committed change goes unrecorded. The app never writes these tables (lib/changes reads
-- them). `SET CONSTRAINTS … IMMEDIATE` would fire the triggers before the transaction ends and is not supported.
-- Each cost is constant per row changed, so a bulk write (an import, a tag renamed on every task) stays linear.
ALTER TABLE "changes" ADD CONSTRAINT "changes_type_check" CHECK ("type" IN (
    'task.upserted', 'task.deleted', 'list.upserted', 'list.deleted', 'tag.upserted', 'tag.deleted'));

-- How long events are kept; lib/changes/schema.ts (CHANGE_RETENTION_DAYS) says the same, and a test checks it.
CREATE FUNCTION "changes_retention"() RETURNS interval LANGUAGE sql IMMUTABLE AS $$ SELECT interval '30 days' $$;

-- Deletes the user's events older than the retention, a bounded batch from the oldest, and records how far: a token
-- below "pruned_through" is a 410. "created_at" is the clock at COMMIT under the feed's lock, so it grows with "seq"
-- and the batch is a prefix of the user's events. Called with the user's "change_feeds" row locked.
CREATE FUNCTION "changes_prune"(p_user text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    through bigint;
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM (SELECT created_at FROM changes WHERE user_id = p_user ORDER BY seq LIMIT 1) oldest
        WHERE created_at < clock_timestamp() - changes_retention()
    ) THEN
        RETURN;
    END IF;
    SELECT max(seq) INTO through
    FROM (SELECT seq, created_at FROM changes WHERE user_id = p_user ORDER BY seq LIMIT 1000) batch
    WHERE created_at < clock_timestamp() - changes_retention();
    DELETE FROM changes WHERE user_id = p_user AND seq <= through;
    UPDATE change_feeds SET pruned_through = through WHERE user_id = p_user AND pruned_through < through;
END $$;

-- Writes the event of one object for its user, numbered next. The first event of the user in a transaction locks the
-- user's feed row (made on first use; none while the user's own row is being deleted, whose events go with it),
-- takes the next number after the user's last event, and prunes; the number then runs on in a transaction-local
-- setting, so a transaction of many events neither re-reads it nor rewrites a counter row per event. The state is
-- read after the lock, so it includes every earlier-numbered transaction's changes (a tag's task count).
CREATE FUNCTION "changes_record"(p_kind text, p_id uuid, p_user text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    memo text := coalesce(current_setting('taskapp.changes_next', true), '');
    prefix text := p_user || ':';
    next_seq bigint;
    pruned bigint;
    state jsonb;
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
    INSERT INTO changes (user_id, seq, type, object_id, data, created_at)
    VALUES (p_user, next_seq, p_kind || CASE WHEN state IS NULL THEN '.deleted' ELSE '.upserted' END, p_id, state,
            clock_timestamp());
    PERFORM set_config('taskapp.changes_next', prefix || (next_seq + 1), true);
END $$;

-- A task's, list's or tag's own row. Of the row's writes in the transaction, only the last reports it (it is the row
-- as it stands now; an earlier write's row is not), and a deletion reports the tombstone; an insert or update whose
-- row is gone leaves that to the deletion. A tag's rename changes the JSON of every task that carries it: they are
-- reported too (see changes_derived).
CREATE FUNCTION "changes_row"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    current_row boolean;
    carrier uuid;
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM changes_record(TG_ARGV[0], OLD.id, OLD.user_id);
        RETURN NULL;
    END IF;
    IF TG_ARGV[0] = 'task' THEN
        SELECT EXISTS (SELECT 1 FROM tasks r WHERE r.id = NEW.id AND r IS NOT DISTINCT FROM NEW) INTO current_row;
    ELSIF TG_ARGV[0] = 'list' THEN
        SELECT EXISTS (SELECT 1 FROM lists r WHERE r.id = NEW.id AND r IS NOT DISTINCT FROM NEW) INTO current_row;
    ELSE
        SELECT EXISTS (SELECT 1 FROM tags r WHERE r.id = NEW.id AND r IS NOT DISTINCT FROM NEW) INTO current_row;
    END IF;
    IF NOT current_row THEN
        RETURN NULL;
    END IF;
    PERFORM changes_record(TG_ARGV[0], NEW.id, NEW.user_id);
    -- Nested, as PL/pgSQL may evaluate every operand (a task's row has no name).
    IF TG_ARGV[0] = 'tag' AND TG_OP = 'UPDATE' THEN
        IF OLD.name IS DISTINCT FROM NEW.name THEN
            FOR carrier IN SELECT task_id FROM task_tags WHERE tag_id = NEW.id LOOP
                PERFORM changes_derived('task', carrier);
            END LOOP;
        END IF;
    END IF;
    RETURN NULL;
END $$;

-- An object whose JSON another row changed (a task_tags row: its task's tag names and its tag's task count; a tag's
-- rename: its tasks' tag names). Not reported when it is gone (its deletion is), nor when this transaction wrote its
-- own row (that row's trigger reports it, as it stands at COMMIT). A task is not reported twice in a row (a task
-- given several tags at once), a tag not twice in the transaction (a list of tasks sharing it deleted).
CREATE FUNCTION "changes_derived"(p_kind text, p_id uuid) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    owner text;
    written boolean;
    reported text;
BEGIN
    IF p_kind = 'task' THEN
        IF current_setting('taskapp.changes_task', true) = p_id::text THEN
            RETURN;
        END IF;
        SELECT user_id, xmin = pg_current_xact_id()::xid INTO owner, written FROM tasks WHERE id = p_id;
        PERFORM set_config('taskapp.changes_task', p_id::text, true);
    ELSE
        reported := coalesce(current_setting('taskapp.changes_tags', true), '');
        IF strpos(reported, p_id::text) > 0 THEN
            RETURN;
        END IF;
        SELECT user_id, xmin = pg_current_xact_id()::xid INTO owner, written FROM tags WHERE id = p_id;
        PERFORM set_config('taskapp.changes_tags', reported || p_id::text || ' ', true);
    END IF;
    IF owner IS NOT NULL AND NOT written THEN
        PERFORM changes_record(p_kind, p_id, owner);
    END IF;
END $$;

CREATE FUNCTION "changes_task_tag_row"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM changes_derived('task', OLD.task_id);
        PERFORM changes_derived('tag', OLD.tag_id);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM changes_derived('task', NEW.task_id);
        PERFORM changes_derived('tag', NEW.tag_id);
    END IF;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER "changes" AFTER INSERT OR UPDATE OR DELETE ON "tasks"
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION changes_row('task');
CREATE CONSTRAINT TRIGGER "changes" AFTER INSERT OR UPDATE OR DELETE ON "lists"
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION changes_row('list');
CREATE CONSTRAINT TRIGGER "changes" AFTER INSERT OR UPDATE OR DELETE ON "tags"
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION changes_row('tag');
CREATE CONSTRAINT TRIGGER "changes" AFTER INSERT OR UPDATE OR DELETE ON "task_tags"
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION changes_task_tag_row();
