import type { ComponentProps } from "react";
import { cn } from "./cn";

export const fieldClasses =
  "w-full min-w-0 rounded-lg border border-zinc-400 bg-white px-3 text-base text-zinc-900 shadow-xs transition-colors placeholder:text-zinc-500 hover:border-zinc-500 focus-visible:border-indigo-600 disabled:opacity-50 aria-invalid:border-red-600 sm:text-sm dark:border-zinc-600 dark:bg-zinc-900 dark:text-zinc-100 dark:placeholder:text-zinc-400 dark:hover:border-zinc-500 dark:focus-visible:border-indigo-400 dark:aria-invalid:border-red-400";

export function Input({ className, ...props }: ComponentProps<"input">) {
  return <input className={cn(fieldClasses, "h-10", className)} {...props} />;
}

export function Textarea({ className, ...props }: ComponentProps<"textarea">) {
  return (
    <textarea className={cn(fieldClasses, "field-sizing-content min-h-16 resize-none py-2", className)} {...props} />
  );
}
