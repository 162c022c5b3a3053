-- Live delivery of the change feed (docs/decisions/0018-live-events.md): each transaction that records events for a
-- user sends one notification on "taskapp_changes" with the user's id. PostgreSQL delivers it at COMMIT, only if the
-- transaction commits, and folds identical payloads of one transaction into one, so a write of many objects wakes
-- its user's streams once. The payload names the user only: the streams read the events from "changes", which stays
-- the source of truth (a missed notification is caught up from it).
CREATE OR REPLACE FUNCTION "changes_record"(p_kind text, p_id uuid, p_user text) RETURNS void LANGUAGE plpgsql AS $$
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
    PERFORM pg_notify('taskapp_changes', p_user);
END $$;
