import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { cache } from "react";
import { DEFAULT_AFTER_SIGN_IN, safeNextPath } from "../client/next-path";
import { getAuth } from "./server";

export type Session = NonNullable<Awaited<ReturnType<ReturnType<typeof getAuth>["api"]["getSession"]>>>;

/** The signed-in user's session for this request (read once per render), or null. */
export const getSession = cache(async (): Promise<Session | null> => {
  return getAuth().api.getSession({ headers: await headers() });
});

/**
 * For public pages that only adapt to a visitor: rendered per request (never prerendered as signed out), and
 * shown as signed out when the database cannot be reached instead of failing.
 */
export async function getVisitorSession(): Promise<Session | null> {
  await connection();
  try {
    return await getSession();
  } catch {
    return null;
  }
}

/** For the sign-in and sign-up pages: a signed-in visitor goes straight on; others get the safe `next` path. */
export async function nextPathForSignedOutVisitor(next: string | string[] | undefined): Promise<string | undefined> {
  const path = safeNextPath(next);
  if (await getSession()) redirect(path ?? DEFAULT_AFTER_SIGN_IN);
  return path;
}
