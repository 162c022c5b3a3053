import "server-only";
import { db } from "../db";
import { ApiError } from "../http/errors";
import { validate } from "../http/validate";
import { type StoredChange, toChangeEvent } from "./rows";
import { CHANGE_RETENTION_DAYS, type ChangesPage, ChangesQuery } from "./schema";
import { decodeToken, encodeToken } from "./token";

export function parseChangesQuery(url: string): ChangesQuery {
  return validate(ChangesQuery, Object.fromEntries(new URL(url).searchParams), "query string");
}

const resyncRequired = (why: string) =>
  new ApiError(
    "resync_required",
    `${why} Call without since for a new token, then read your tasks, lists and tags again and follow the feed ` +
      "from that token.",
  );

type FeedRow = { latest: bigint | null; pruned_through: bigint | null } & Partial<StoredChange>;

/**
 * The user's events after `since`, oldest first, at most `limit`, and where to resume. One statement, so one
 * snapshot: the counter (the last event's number, how far events were pruned) and the events agree, and every
 * event up to the counter has committed (the triggers number them in commit order).
 */
export async function readChanges(userId: string, { since, limit }: ChangesQuery): Promise<ChangesPage> {
  if (since === undefined) {
    const counter = await db().changeCounter.findUnique({ where: { userId }, select: { seq: true } });
    return { events: [], next: encodeToken(counter?.seq ?? 0n) };
  }
  const after = decodeToken(since);
  const rows = await db().$queryRaw<FeedRow[]>`
    SELECT c.seq AS latest, c.pruned_through, e.seq, e.type, e.object_id::text AS object_id, e.data
    FROM (SELECT ${userId}::text AS user_id) AS me
    LEFT JOIN change_counters AS c ON c.user_id = me.user_id
    LEFT JOIN LATERAL (
      SELECT seq, type, object_id, data FROM changes
      WHERE user_id = me.user_id AND seq > ${after}
      ORDER BY seq
      LIMIT ${limit}
    ) AS e ON true
    ORDER BY e.seq`;
  const [first] = rows;
  const latest = first?.latest ?? 0n;
  const prunedThrough = first?.pruned_through ?? 0n;
  if (after > latest) throw resyncRequired("since is ahead of this feed (was the database restored?).");
  if (after < prunedThrough) {
    throw resyncRequired(`Events after since are no longer kept (the feed keeps ${CHANGE_RETENTION_DAYS} days).`);
  }
  const events = rows.filter((row): row is FeedRow & StoredChange => row.seq != null).map(toChangeEvent);
  return { events, next: events.at(-1)?.event_id ?? since };
}
