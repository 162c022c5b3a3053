"use client";

import { useEffect, useState } from "react";
import { Spinner } from "@/components/auth/spinner";
import type { StreamState } from "@/lib/client/event-stream";

/** How long the stream may be down unremarked: a reconnect quicker than this is nobody's concern. */
const UNREMARKED_MS = 1500;

/** Says so, politely, while changes made elsewhere cannot reach the page; empty (but there, to be announced) else. */
export function LiveStatus({ state }: { state: StreamState }) {
  const down = state === "down";
  const [remarked, setRemarked] = useState(false);
  if (!down && remarked) setRemarked(false);
  useEffect(() => {
    if (!down) return;
    const timer = setTimeout(() => setRemarked(true), UNREMARKED_MS);
    return () => clearTimeout(timer);
  }, [down]);
  return (
    <p
      role="status"
      aria-live="polite"
      className="flex items-center gap-1.5 text-sm whitespace-nowrap text-amber-700 dark:text-amber-400 [&_svg]:size-3.5"
    >
      {remarked ? (
        <>
          <Spinner />
          Reconnecting…
        </>
      ) : null}
    </p>
  );
}
