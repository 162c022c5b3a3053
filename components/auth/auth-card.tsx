import type { ReactNode } from "react";
import { SiteHeader } from "@/components/site-header";

/** The frame of the sign-in and sign-up pages: a banner, one heading and a card. */
export function AuthCard({ title, intro, children }: { title: string; intro: ReactNode; children: ReactNode }) {
  return (
    <>
      <SiteHeader />
      <main id="main" className="mx-auto flex w-full max-w-md flex-col px-4 pt-10 pb-16 sm:pt-16">
        <h1 className="text-2xl font-semibold tracking-tight text-balance">{title}</h1>
        <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">{intro}</p>
        <div className="mt-6 rounded-xl border border-zinc-200 bg-white p-5 shadow-sm sm:p-6 dark:border-zinc-800 dark:bg-zinc-900">
          {children}
        </div>
      </main>
    </>
  );
}
