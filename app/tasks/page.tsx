import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { QueryProvider } from "@/components/query-provider";
import { TasksApp } from "@/components/tasks/tasks-app";
import { getSession } from "@/lib/auth/session";
import { parseFilter } from "@/lib/client/filters";
import { withNext } from "@/lib/client/next-path";

export const metadata: Metadata = { title: "Your tasks" };

export default async function TasksPage({ searchParams }: PageProps<"/tasks">) {
  const filter = parseFilter((await searchParams).filter);
  const session = await getSession();
  if (!session) redirect(withNext("/sign-in", filter === "all" ? "/tasks" : `/tasks?filter=${filter}`));
  const { user } = session;
  // The page only knows who you are; the list itself comes from the public API, in the browser.
  return (
    <QueryProvider>
      <TasksApp userId={user.id} userName={user.name || user.email} initialFilter={filter} />
    </QueryProvider>
  );
}
