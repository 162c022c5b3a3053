import Link from "next/link";
import type { ReactNode } from "react";

export function Logo() {
  return (
    <svg aria-hidden="true" viewBox="0 0 32 32" className="size-7 shrink-0">
      <rect width="32" height="32" rx="8" className="fill-indigo-600" />
      <path
        d="M9 16.5l4.5 4.5L23 11.5"
        fill="none"
        stroke="#fff"
        strokeWidth="3.2"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}

/** The banner on every page: the brand (a link home) and, on the right, what the page passes in. */
export function SiteHeader({ children, wide = false }: { children?: ReactNode; wide?: boolean }) {
  return (
    <header className="border-b border-zinc-200 bg-white/85 backdrop-blur dark:border-zinc-800 dark:bg-zinc-950/85">
      <div
        className={`mx-auto flex h-14 items-center justify-between gap-4 px-4 sm:px-6 ${wide ? "max-w-5xl" : "max-w-3xl"}`}
      >
        <Link href="/" className="flex items-center gap-2 rounded-md text-base font-semibold tracking-tight">
          <Logo />
          <span>Tasks</span>
        </Link>
        {children}
      </div>
    </header>
  );
}
