import "server-only";
import { headers } from "next/headers";
import { connection } from "next/server";
import { cache } from "react";
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
