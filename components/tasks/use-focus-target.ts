"use client";

import { useEffect, useState } from "react";

/**
 * Keyboard focus to move once the DOM has the element. Checked after every render: a task coming back or a new
 * page arrives a render or two after the change that asked for it, when the cache tells the list.
 */
export function useFocusTarget() {
  const [target, setTarget] = useState<string | null>(null);
  useEffect(() => {
    if (!target) return;
    const element = document.getElementById(target);
    if (!element) return;
    element.focus();
    setTarget(null);
  });
  return { set: setTarget };
}
