import type { ComponentProps } from "react";
import { cn } from "./cn";

/** A native checkbox drawn as a round tick: keyboard, form and screen-reader behaviour stay the browser's. */
export function Checkbox({ className, ...props }: Omit<ComponentProps<"input">, "type">) {
  return (
    <span className={cn("relative inline-flex size-6 shrink-0", className)}>
      <input
        type="checkbox"
        className="peer size-6 appearance-none rounded-full border-2 border-zinc-500 bg-white transition-colors hover:border-indigo-600 checked:border-indigo-600 checked:bg-indigo-600 disabled:opacity-50 dark:border-zinc-400 dark:bg-zinc-900 dark:hover:border-indigo-400 dark:checked:border-indigo-500 dark:checked:bg-indigo-600"
        {...props}
      />
      <svg
        aria-hidden="true"
        viewBox="0 0 16 16"
        className="pointer-events-none absolute inset-0 m-auto size-3.5 text-white opacity-0 transition-opacity peer-checked:opacity-100"
      >
        <path
          d="M3.5 8.5l3 3 6-7"
          fill="none"
          stroke="currentColor"
          strokeWidth="2.2"
          strokeLinecap="round"
          strokeLinejoin="round"
        />
      </svg>
    </span>
  );
}
