"use client";

import { useCallback, useState } from "react";

export interface Notice {
  /** A new id for every message, so that the same message again is announced again. */
  id: number;
  message: string;
}

/** The one notice above the list (why a change did not go through). */
export function useNotice() {
  const [notice, setNotice] = useState<Notice | null>(null);
  const notify = useCallback((message: string) => {
    setNotice((previous) => ({ id: (previous?.id ?? 0) + 1, message }));
  }, []);
  return { notice, notify, dismiss: () => setNotice(null) };
}
