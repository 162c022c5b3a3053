import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { QueryProvider } from "@/components/query-provider";
import { TasksApp } from "@/components/tasks/tasks-app";
import { getSession } from "@/lib/auth/session";
import { parseFilter } from "@/lib/client/filters";
import { withNext } from "@/lib/client/next-path";
import { parseSection, sectionHref } from "@/lib/client/sections";
import { firstTaskPage } from "./first-page";

export const metadata: Metadata = { title: "Your tasks" };

export default async function TasksPage({ searchParams }: PageProps<"/tasks">) {
  const params = await searchParams;
  const filter = parseFilter(params.filter);
  const section = parseSection(params);
  const session = await getSession();
  if (!session) redirect(withNext("/sign-in", sectionHref(section, filter)));
  const { user } = session;
  // The first page of the list comes with the page (the session's own tasks, read as the API reads them), so it
  // shows before any script runs; the browser's cache takes it over and reads it again from the public API.
  const initial = await firstTaskPage(user.id, section, filter);
  return (
    <QueryProvider>
      <TasksApp
        userId={user.id}
        userName={user.name || user.email}
        initialFilter={filter}
        section={section}
        initial={initial}
      />
    </QueryProvider>
  );
}
