import "server-only";
import { db } from "../db";
import { log } from "../log";

/** A token's `last_used_at` is written at most this often per instance: its first use at once, the last one later. */
const LAST_USED_INTERVAL_MS = 60_000;

type Use = { pending: Date | undefined; timer: NodeJS.Timeout | undefined };

const uses = new Map<string, Use>();
const writes = new Set<Promise<void>>();

/** Never a newer time overwritten by an older one (another instance may have written since). */
function write(tokenId: string, at: Date): void {
  const done = db()
    .personalAccessToken.updateMany({
      where: { id: tokenId, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: at } }] },
      data: { lastUsedAt: at },
    })
    .then(
      () => {},
      (error: unknown) => {
        // A lost "last used" time is not worth failing or retrying for; the next use writes it again.
        log("warn", "token use not recorded", { cause: error instanceof Error ? error.message : String(error) });
      },
    );
  writes.add(done);
  void done.finally(() => writes.delete(done));
}

function scheduleTrailingWrite(tokenId: string, use: Use): void {
  use.timer = setTimeout(() => {
    use.timer = undefined;
    const at = use.pending;
    if (!at) {
      uses.delete(tokenId);
      return;
    }
    use.pending = undefined;
    write(tokenId, at);
    scheduleTrailingWrite(tokenId, use);
  }, LAST_USED_INTERVAL_MS).unref();
}

/**
 * Notes that a token authenticated a request, off the request's path: the first use in a minute is written at once
 * (not awaited), later ones are folded into one write at the end of that minute.
 */
export function recordTokenUse(tokenId: string): void {
  const use = uses.get(tokenId);
  if (use) {
    use.pending = new Date();
    return;
  }
  const fresh: Use = { pending: undefined, timer: undefined };
  uses.set(tokenId, fresh);
  write(tokenId, new Date());
  scheduleTrailingWrite(tokenId, fresh);
}

/** Writes every pending use now and waits for the writes under way (tests; a graceful shutdown could call it). */
export async function flushTokenUses(): Promise<void> {
  for (const [tokenId, use] of uses) {
    clearTimeout(use.timer);
    uses.delete(tokenId);
    if (use.pending) write(tokenId, use.pending);
  }
  await Promise.all(writes);
}
