"use client";

import { useSyncExternalStore } from "react";

const noUpdates = () => () => {};

/** False while the server's HTML is being hydrated (and on the server), true from the render after. */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    noUpdates,
    () => true,
    () => false,
  );
}
