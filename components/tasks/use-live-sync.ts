"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { openChangeStream, type StreamState } from "@/lib/client/event-stream";
import { createChangeApplier } from "./change-applier";
import { signInAgain } from "./task-queries";

/**
 * Keeps the user's cached tasks, lists, tags and counts up to date with changes made elsewhere, from the change
 * stream, for as long as the page is mounted and `enabled`. `since` is the position the page was first rendered at
 * (taken once: the stream then keeps its own); without it, everything is read again once the stream is up.
 */
export function useLiveSync(userId: string, { since, enabled }: { since?: string; enabled: boolean }): StreamState {
  const client = useQueryClient();
  const [start] = useState(since);
  const [state, setState] = useState<StreamState>("connecting");
  useEffect(() => {
    if (!enabled) return;
    const applier = createChangeApplier(client, userId);
    const stream = openChangeStream({
      userId,
      since: start,
      onChange: applier.apply,
      onResync: applier.resync,
      onState: setState,
      onSessionEnded: signInAgain,
    });
    // Back online: no need to wait out the backoff.
    window.addEventListener("online", stream.retryNow);
    return () => {
      window.removeEventListener("online", stream.retryNow);
      stream.close();
      applier.dispose();
    };
  }, [client, userId, enabled, start]);
  return state;
}
