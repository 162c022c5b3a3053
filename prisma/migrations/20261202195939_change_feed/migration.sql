-- CreateTable
CREATE TABLE "change_counters" (
    "user_id" TEXT NOT NULL,
    "seq" BIGINT NOT NULL DEFAULT 0,
    "pruned_through" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "change_counters_pkey" PRIMARY KEY ("user_id")
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
ALTER TABLE "change_counters" ADD CONSTRAINT "change_counters_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "changes" ADD CONSTRAINT "changes_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "change_counters"("user_id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The change feed (docs/decisions/0016-change-feed.md). Every committed change of a task, list or tag is an event in
-- "changes", numbered per user in commit order with no gaps: the triggers below run at COMMIT (deferred), take the
-- user's counter row with a row lock, read the object's state as committed, and write one event per object changed
-- by the transaction, in the order the transaction first touched them. Nothing here runs for a rolled-back
-- transaction; an error here fails the COMMIT, so no committed change goes unrecorded. The app never writes these
-- tables (lib/changes reads them). `SET CONSTRAINTS … IMMEDIATE` would fire the triggers before the transaction ends
-- and is not supported.
ALTER TABLE "changes" ADD CONSTRAINT "changes_type_check" CHECK ("type" IN (
    'task.upserted', 'task.deleted', 'list.upserted', 'list.deleted', 'tag.upserted', 'tag.deleted'));

-- How long events are kept; lib/changes/schema.ts (CHANGE_RETENTION_DAYS) says the same, and a test checks it.
CREATE FUNCTION "changes_retention"() RETURNS interval LANGUAGE sql IMMUTABLE AS $$ SELECT interval '30 days' $$;

-- Deletes the user's events older than the retention, a bounded batch from the oldest, and records how far: a token
-- below "pruned_through" is a 410. "created_at" is the clock at COMMIT, under the counter's lock, so it grows with
-- "seq" and the batch is a prefix of the user's events. Called with the counter row locked.
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
    UPDATE change_counters SET pruned_through = through WHERE user_id = p_user AND pruned_through < through;
END $$;

-- Records that an object changed: the first call for it in a transaction writes its event, later calls return at
-- once (the transaction's reported objects are listed in a transaction-local setting). `p_user` null: the call comes
-- from another table's row (task_tags, a renamed tag), and the object is reported only while it exists (its own
-- row's trigger reports its deletion). The counter is locked before the state is read, so the state includes every
-- earlier event's transaction (a tag's task count, a task's tag names).
CREATE FUNCTION "changes_record"(p_kind text, p_id uuid, p_user text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    seen text := coalesce(current_setting('taskapp.changes_seen', true), '');
    object_key text := p_kind || ':' || p_id::text || ';';
    next_seq bigint;
    state jsonb;
BEGIN
    IF strpos(seen, object_key) > 0 THEN
        RETURN;
    END IF;
    IF p_user IS NULL THEN
        IF p_kind = 'task' THEN
            SELECT user_id INTO p_user FROM tasks WHERE id = p_id;
        ELSIF p_kind = 'tag' THEN
            SELECT user_id INTO p_user FROM tags WHERE id = p_id;
        ELSE
            SELECT user_id INTO p_user FROM lists WHERE id = p_id;
        END IF;
        IF p_user IS NULL THEN
            RETURN;
        END IF;
    END IF;
    UPDATE change_counters SET seq = seq + 1 WHERE user_id = p_user RETURNING seq INTO next_seq;
    IF NOT FOUND THEN
        -- The user's first event; none while the user's own row is being deleted (the events go with it).
        INSERT INTO change_counters (user_id, seq)
        SELECT p_user, 1 WHERE EXISTS (SELECT 1 FROM "user" WHERE id = p_user)
        ON CONFLICT (user_id) DO UPDATE SET seq = change_counters.seq + 1
        RETURNING seq INTO next_seq;
        IF NOT FOUND THEN
            RETURN;
        END IF;
    END IF;
    IF strpos(seen, 'u:' || p_user || ';') = 0 THEN
        seen := seen || 'u:' || p_user || ';';
        PERFORM changes_prune(p_user);
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
    PERFORM set_config('taskapp.changes_seen', seen || object_key, true);
END $$;

-- A task's or a list's own row (the trigger's argument names the kind). Rows never change owner.
CREATE FUNCTION "changes_row"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM changes_record(TG_ARGV[0], OLD.id, OLD.user_id);
    ELSE
        PERFORM changes_record(TG_ARGV[0], NEW.id, NEW.user_id);
    END IF;
    RETURN NULL;
END $$;

-- A tag's own row; a rename changes the JSON of every task that carries the tag, so they are reported too.
CREATE FUNCTION "changes_tag_row"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    carrier uuid;
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM changes_record('tag', OLD.id, OLD.user_id);
    ELSE
        PERFORM changes_record('tag', NEW.id, NEW.user_id);
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.name IS DISTINCT FROM NEW.name THEN
        FOR carrier IN SELECT task_id FROM task_tags WHERE tag_id = NEW.id LOOP
            PERFORM changes_record('task', carrier, NULL);
        END LOOP;
    END IF;
    RETURN NULL;
END $$;

-- A task gaining or losing a tag changes the task's JSON (its tag names) and the tag's (its task count).
CREATE FUNCTION "changes_task_tag_row"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM changes_record('task', OLD.task_id, NULL);
        PERFORM changes_record('tag', OLD.tag_id, NULL);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM changes_record('task', NEW.task_id, NULL);
        PERFORM changes_record('tag', NEW.tag_id, NULL);
    END IF;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER "changes" AFTER INSERT OR UPDATE OR DELETE ON "tasks"
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION changes_row('task');
CREATE CONSTRAINT TRIGGER "changes" AFTER INSERT OR UPDATE OR DELETE ON "lists"
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION changes_row('list');
CREATE CONSTRAINT TRIGGER "changes" AFTER INSERT OR UPDATE OR DELETE ON "tags"
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION changes_tag_row();
CREATE CONSTRAINT TRIGGER "changes" AFTER INSERT OR UPDATE OR DELETE ON "task_tags"
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION changes_task_tag_row();
