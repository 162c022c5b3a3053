"use client";

import { type ComponentProps, useState } from "react";
import { cn } from "./cn";
import { fieldClasses } from "./input";

/** A password field with a "Show password" toggle (a pressed/unpressed button, named by its text). */
export function PasswordInput({ className, ...props }: Omit<ComponentProps<"input">, "type">) {
  const [visible, setVisible] = useState(false);
  return (
    <div className="relative">
      <input
        type={visible ? "text" : "password"}
        className={cn(fieldClasses, "h-10 pr-18", className)}
        spellCheck={false}
        autoCapitalize="none"
        autoCorrect="off"
        {...props}
      />
      <button
        type="button"
        aria-pressed={visible}
        aria-controls={props.id}
        onClick={() => setVisible((shown) => !shown)}
        className="absolute inset-y-1 right-1 rounded-md px-2.5 text-xs font-medium text-zinc-700 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-300 dark:hover:bg-zinc-800 dark:hover:text-white"
      >
        {visible ? "Hide" : "Show"}
        <span className="sr-only"> password</span>
      </button>
    </div>
  );
}
