import "server-only";
import { db } from "../db";
import { ApiError } from "../http/errors";
import { validateQuery } from "../http/validate";
import { type StoredChange, toChangeEvent } from "./rows";
import { CHANGE_RETENTION_DAYS, type ChangesPage, ChangesQuery } from "./schema";
import { decodeToken, encodeToken } from "./token";

export function parseChangesQuery(url: string): ChangesQuery {
  return validateQuery(ChangesQuery, url);
}

const resyncRequired = (why: string) =>
  new ApiError(
    "resync_required",
    `${why} Call without since for a new token, then read your tasks, lists and tags again and follow the feed ` +
      "from that token.",
  );

type FeedRow = { latest: bigint; pruned_through: bigint } & Partial<StoredChange>;

/**
 * The user's events after `since`, oldest first, at most `limit`, and where to resume. One statement, so one
 * snapshot: the last event's number, how far events were pruned and the events agree, and every event up to the last
 * one has committed (the triggers number them in commit order).
 */
export async function readChanges(userId: string, { since, limit }: ChangesQuery): Promise<ChangesPage> {
  const after = since === undefined ? undefined : decodeToken(since);
  const rows = await db().$queryRaw<FeedRow[]>`
    SELECT me.latest, me.pruned_through, e.seq, e.type, e.object_id::text AS object_id, e.data
    FROM (
      SELECT coalesce(feed.pruned_through, 0) AS pruned_through,
             coalesce((SELECT max(seq) FROM changes WHERE user_id = ${userId}), feed.pruned_through, 0) AS latest
      FROM (SELECT 1) AS one LEFT JOIN change_feeds AS feed ON feed.user_id = ${userId}
    ) AS me
    LEFT JOIN LATERAL (
      SELECT seq, type, object_id, data FROM changes
      WHERE user_id = ${userId} AND seq > ${after ?? null}::bigint
      ORDER BY seq
      LIMIT ${limit}
    ) AS e ON true
    ORDER BY e.seq`;
  const [first] = rows;
  const latest = first?.latest ?? 0n;
  if (after === undefined) return { events: [], next: encodeToken(latest) };
  if (after > latest) throw resyncRequired("since is ahead of this feed (was the database restored?).");
  if (after < (first?.pruned_through ?? 0n)) {
    throw resyncRequired(`Events after since are no longer kept (the feed keeps ${CHANGE_RETENTION_DAYS} days).`);
  }
  const events = rows.filter((row): row is FeedRow & StoredChange => row.seq != null).map(toChangeEvent);
  return { events, next: events.at(-1)?.event_id ?? encodeToken(after) };
}

/** The number of each user's latest event, for the users that have any: one index probe per user. */
export function latestEvents(userIds: string[]): Promise<{ user_id: string; latest: bigint }[]> {
  return db().$queryRaw`
    SELECT u.user_id, latest.seq AS latest
    FROM unnest(${userIds}::text[]) AS u(user_id)
    CROSS JOIN LATERAL (SELECT seq FROM changes WHERE user_id = u.user_id ORDER BY seq DESC LIMIT 1) AS latest`;
}
