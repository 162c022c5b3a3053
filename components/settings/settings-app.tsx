"use client";

import Link from "next/link";
import { SiteHeader } from "@/components/site-header";
import { TokensSection } from "./tokens-section";
import { TransferSection } from "./transfer-section";
import { WebhooksSection } from "./webhooks-section";

/** The settings page: personal access tokens, webhooks, and import/export, each a section of its own. */
export function SettingsApp({ userId, userName }: { userId: string; userName: string }) {
  return (
    <>
      <SiteHeader>
        <div className="flex min-w-0 items-center gap-3">
          <span className="hidden max-w-56 truncate text-sm text-zinc-600 sm:inline dark:text-zinc-400">
            {userName}
          </span>
          <Link href="/tasks" className="text-sm font-medium text-indigo-600 hover:underline dark:text-indigo-400">
            Back to tasks
          </Link>
        </div>
      </SiteHeader>
      <main id="main" className="mx-auto w-full max-w-3xl space-y-12 px-4 pt-8 pb-32 sm:px-6 sm:pt-12">
        <h1 className="text-2xl font-semibold tracking-tight">Settings</h1>
        <TokensSection userId={userId} />
        <WebhooksSection userId={userId} />
        <TransferSection userId={userId} />
      </main>
    </>
  );
}
