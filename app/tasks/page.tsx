import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { QueryProvider } from "@/components/query-provider";
import { TasksApp } from "@/components/tasks/tasks-app";
import { getSession } from "@/lib/auth/session";
import { parseFilter } from "@/lib/client/filters";
import { withNext } from "@/lib/client/next-path";
import { parseSection, sectionHref } from "@/lib/client/sections";

export const metadata: Metadata = { title: "Your tasks" };

export default async function TasksPage({ searchParams }: PageProps<"/tasks">) {
  const params = await searchParams;
  const filter = parseFilter(params.filter);
  const section = parseSection(params);
  const session = await getSession();
  if (!session) redirect(withNext("/sign-in", sectionHref(section, filter)));
  const { user } = session;
  // The page only knows who you are; the list itself comes from the public API, in the browser.
  return (
    <QueryProvider>
      <TasksApp userId={user.id} userName={user.name || user.email} initialFilter={filter} section={section} />
    </QueryProvider>
  );
}
