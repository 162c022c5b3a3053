import type { Metadata } from "next";
import Link from "next/link";
import { SiteHeader } from "@/components/site-header";
import { buttonClasses } from "@/components/ui/button";
import { getVisitorSession } from "@/lib/auth/session";

export const metadata: Metadata = {
  title: { absolute: "Tasks: a calm to-do list with an open API" },
};

const EXAMPLE = [
  { title: "Book the dentist", note: "Ask for a Friday morning", done: false },
  { title: "Send the invoice to Ada", note: null, done: false },
  { title: "Renew the passport", note: "Photos are in the drawer", done: true },
];

const FEATURES = [
  {
    title: "Capture in a second",
    body: "Type, press Enter, done. Tasks show up instantly, even before the server has answered.",
  },
  {
    title: "Change your mind",
    body: "Edit in place, tick and untick, and undo a delete for a few seconds. Nothing is lost by accident.",
  },
  {
    title: "Yours to script",
    body: "The same list is a REST API with short-lived tokens. Automate it with curl, a cron job or your own app.",
  },
];

export default async function Home() {
  const session = await getVisitorSession();
  return (
    <>
      <SiteHeader wide>
        <nav aria-label="Account" className="flex items-center gap-2">
          {session ? (
            <Link href="/tasks" className={buttonClasses({ variant: "secondary", size: "sm" })}>
              Your tasks
            </Link>
          ) : (
            <>
              <Link href="/sign-in" className={buttonClasses({ variant: "ghost", size: "sm" })}>
                Sign in
              </Link>
              <Link href="/sign-up" className={buttonClasses({ variant: "primary", size: "sm" })}>
                Sign up
              </Link>
            </>
          )}
        </nav>
      </SiteHeader>

      <main id="main" className="mx-auto w-full max-w-5xl px-4 sm:px-6">
        <section className="grid items-center gap-10 py-12 sm:py-20 lg:grid-cols-[1.1fr_1fr]">
          <div>
            <p className="text-sm font-semibold text-indigo-700 dark:text-indigo-300">Your tasks, nothing else</p>
            <h1 className="mt-3 text-4xl font-semibold tracking-tight text-balance sm:text-5xl">
              A to-do list that stays out of your way.
            </h1>
            <p className="mt-5 max-w-xl text-lg text-pretty text-zinc-700 dark:text-zinc-300">
              Tasks keeps everything you need to do in one calm list. Add with Enter, tick things off, undo mistakes,
              and reach the very same list from your own scripts.
            </p>
            <div className="mt-8 flex flex-wrap items-center gap-3">
              {session ? (
                <>
                  <Link href="/tasks" className={buttonClasses({ size: "lg" })}>
                    Open your list
                  </Link>
                  <p className="text-sm text-zinc-600 dark:text-zinc-400">
                    Signed in as {session.user.name || session.user.email}.
                  </p>
                </>
              ) : (
                <>
                  <Link href="/sign-up" className={buttonClasses({ size: "lg" })}>
                    Create a free account
                  </Link>
                  <p className="text-sm text-zinc-600 dark:text-zinc-400">No card, no trial. Just a list.</p>
                </>
              )}
            </div>
          </div>

          <div
            aria-hidden="true"
            className="rounded-2xl border border-zinc-200 bg-white p-4 shadow-xl shadow-zinc-900/5 sm:p-6 dark:border-zinc-800 dark:bg-zinc-900 dark:shadow-black/30"
          >
            <div className="flex items-center justify-between">
              <span className="text-lg font-semibold">Today</span>
              <span className="rounded-full bg-indigo-50 px-2.5 py-0.5 text-xs font-medium text-indigo-700 dark:bg-indigo-950 dark:text-indigo-300">
                2 active
              </span>
            </div>
            <ul className="mt-4 divide-y divide-zinc-100 dark:divide-zinc-800">
              {EXAMPLE.map((task) => (
                <li key={task.title} className="flex items-start gap-3 py-3">
                  <span
                    className={`mt-0.5 grid size-5 shrink-0 place-items-center rounded-full border-2 ${
                      task.done ? "border-indigo-600 bg-indigo-600" : "border-zinc-400 dark:border-zinc-500"
                    }`}
                  >
                    {task.done ? (
                      <svg aria-hidden="true" viewBox="0 0 16 16" className="size-3 text-white">
                        <path
                          d="M3.5 8.5l3 3 6-7"
                          fill="none"
                          stroke="currentColor"
                          strokeWidth="2.4"
                          strokeLinecap="round"
                          strokeLinejoin="round"
                        />
                      </svg>
                    ) : null}
                  </span>
                  <span className="min-w-0">
                    <span
                      className={`block text-sm font-medium ${task.done ? "text-zinc-500 line-through dark:text-zinc-400" : ""}`}
                    >
                      {task.title}
                    </span>
                    {task.note ? (
                      <span className="block text-xs text-zinc-600 dark:text-zinc-400">{task.note}</span>
                    ) : null}
                  </span>
                </li>
              ))}
            </ul>
          </div>
        </section>

        <section aria-labelledby="features" className="border-t border-zinc-200 py-12 sm:py-16 dark:border-zinc-800">
          <h2 id="features" className="text-2xl font-semibold tracking-tight">
            Why people switch
          </h2>
          <div className="mt-8 grid gap-6 sm:grid-cols-3">
            {FEATURES.map((feature) => (
              <div key={feature.title}>
                <h3 className="font-semibold">{feature.title}</h3>
                <p className="mt-2 text-sm text-zinc-700 dark:text-zinc-300">{feature.body}</p>
              </div>
            ))}
          </div>
          <figure className="mt-10">
            <figcaption className="text-sm font-medium text-zinc-700 dark:text-zinc-300">
              Add a task from a terminal
            </figcaption>
            <pre className="mt-2 rounded-xl bg-zinc-900 p-4 text-xs leading-relaxed sm:text-sm break-all whitespace-pre-wrap text-zinc-100 ring-1 ring-zinc-800">
              <code>
                {`TOKEN=$(curl -s -b jar.txt https://your.app/api/auth/token | jq -r .token)
curl -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\
  -d '{"title":"Water the plants"}' https://your.app/api/$USER_ID/tasks`}
              </code>
            </pre>
          </figure>
        </section>
      </main>

      <footer className="border-t border-zinc-200 dark:border-zinc-800">
        <div className="mx-auto max-w-5xl px-4 py-6 text-sm text-zinc-600 sm:px-6 dark:text-zinc-400">
          Tasks: Next.js, Better Auth and PostgreSQL. Your data is only ever shown to you.
        </div>
      </footer>
    </>
  );
}
