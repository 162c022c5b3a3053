import type { Metadata } from "next";
import Link from "next/link";
import { SiteHeader } from "@/components/site-header";
import { buttonClasses } from "@/components/ui/button";

export const metadata: Metadata = { title: "Page not found" };

/** Next's built-in 404 page styles itself with inline styles, which the page CSP refuses; this one uses classes. */
export default function NotFound() {
  return (
    <>
      <SiteHeader />
      <main id="main" className="mx-auto w-full max-w-3xl px-4 pt-10 pb-16 sm:px-6 sm:pt-16">
        <p className="text-sm font-semibold text-indigo-700 dark:text-indigo-300">404</p>
        <h1 className="mt-2 text-2xl font-semibold tracking-tight text-balance">There is no page at this address</h1>
        <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
          Check the link, or start again from the home page.
        </p>
        <Link href="/" className={buttonClasses({ className: "mt-6" })}>
          Go to the home page
        </Link>
      </main>
    </>
  );
}
