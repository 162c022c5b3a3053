import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { QueryProvider } from "@/components/query-provider";
import { SettingsApp } from "@/components/settings/settings-app";
import { getSession } from "@/lib/auth/session";
import { withNext } from "@/lib/client/next-path";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const session = await getSession();
  if (!session) redirect(withNext("/sign-in", "/settings"));
  const { user } = session;
  return (
    <QueryProvider>
      <SettingsApp userId={user.id} userName={user.name || user.email} />
    </QueryProvider>
  );
}
