import type { Metadata } from "next";
import Link from "next/link";
import { ApiReference } from "@/components/docs/api-reference";
import { SiteHeader } from "@/components/site-header";
import { buttonClasses } from "@/components/ui/button";
import { getVisitorSession } from "@/lib/auth/session";
import { withNext } from "@/lib/client/next-path";
import { openApiDocument } from "@/lib/openapi/document";

export const metadata: Metadata = {
  title: "API docs",
  description: "Reference of the Tasks REST API, generated from the schemas that validate its requests.",
};

export default async function DocsPage() {
  const session = await getVisitorSession();
  const user = session?.user;
  return (
    <>
      <div className="sticky top-0 z-20">
        <SiteHeader wide>
          {user ? (
            <p className="truncate text-sm text-zinc-600 dark:text-zinc-400">
              Requests you try here use a token for{" "}
              <span className="font-medium text-zinc-900 dark:text-zinc-100">{user.name || user.email}</span>.
            </p>
          ) : (
            <div className="flex items-center gap-3">
              <p className="hidden text-sm text-zinc-600 sm:block dark:text-zinc-400">
                Sign in to try requests with your own token.
              </p>
              <Link href={withNext("/sign-in", "/docs")} className={buttonClasses({ variant: "primary", size: "sm" })}>
                Sign in
              </Link>
            </div>
          )}
        </SiteHeader>
      </div>
      <main id="main">
        <ApiReference document={openApiDocument()} userId={user?.id} />
      </main>
    </>
  );
}
