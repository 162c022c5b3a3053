"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { type FormEvent, useId, useMemo, useRef, useState } from "react";
import { Spinner } from "@/components/auth/spinner";
import { taskKeys } from "@/components/tasks/task-keys";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Field } from "@/components/ui/field";
import { fieldClasses, Input } from "@/components/ui/input";
import { withNext } from "@/lib/client/next-path";
import { type ApiError, type ApiFailure, unwrap } from "@/lib/client/tasks-api";
import { createTransferApi, type ExportFormat, type ImportReport, importContentType } from "@/lib/client/transfer-api";
import { EXPORT_FORMATS } from "@/lib/transfer/schema";

const card = "rounded-xl border border-zinc-200 bg-white p-5 shadow-xs dark:border-zinc-800 dark:bg-zinc-900";

/** What went wrong, for people: the API's own sentence, and each field's problem when it named them. */
function Problem({ error, title }: { error: ApiError; title: string }) {
  const problems = error.fields.filter((field) => field.message !== error.detail);
  return (
    <Alert role="alert" title={title}>
      <p>{error.kind === "session" ? "Your session has ended. Sign in again, then retry." : error.detail}</p>
      {problems.length > 1 ? (
        <ul className="mt-1 list-disc pl-5">
          {problems.map((problem) => (
            <li key={`${problem.field}:${problem.message}`}>
              <code>{problem.field}</code>: {problem.message}
            </li>
          ))}
        </ul>
      ) : null}
      {error.kind === "session" ? (
        <Link href={withNext("/sign-in", "/settings")} className="font-medium underline">
          Sign in
        </Link>
      ) : null}
    </Alert>
  );
}

/** Hands a downloaded file to the browser as a save, through a short-lived object URL. */
function save(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

function where(entry: { row?: number; index?: number; kind: string }) {
  if (entry.row !== undefined) return `Row ${entry.row}`;
  if (entry.index !== undefined) return `${entry.kind[0]?.toUpperCase()}${entry.kind.slice(1)} ${entry.index + 1}`;
  return entry.kind === "list" ? "The list" : "An entry";
}

function ExportPanel({ userId }: { userId: string }) {
  const api = useMemo(() => createTransferApi(userId), [userId]);
  const download = useMutation<void, ApiFailure, ExportFormat>({
    mutationFn: async (format) => {
      const file = await unwrap(api.exportFile(format));
      save(file.blob, file.filename);
    },
  });
  const busy = download.isPending ? download.variables : undefined;
  return (
    <div className={card}>
      <h3 className="font-medium">Export</h3>
      <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
        Everything in your account: tasks, lists and tags. The JSON file can be imported back here or into another
        account; the CSV opens in a spreadsheet.
      </p>
      <div className="mt-4 flex flex-wrap gap-2">
        {EXPORT_FORMATS.map((format) => (
          <Button
            key={format}
            variant="secondary"
            disabled={download.isPending}
            aria-busy={busy === format || undefined}
            onClick={() => download.mutate(format)}
          >
            {busy === format ? <Spinner /> : <TrayIcon arrow="down" />}
            {busy === format ? "Preparing…" : `Download ${format.toUpperCase()}`}
          </Button>
        ))}
      </div>
      <div aria-live="polite" className="mt-3 empty:hidden">
        {download.isSuccess ? (
          <p className="text-sm text-emerald-700 dark:text-emerald-400">
            Your {download.variables?.toUpperCase()} export is downloaded.
          </p>
        ) : null}
      </div>
      {download.error ? <Problem error={download.error.apiError} title="The export could not be made" /> : null}
    </div>
  );
}

type Entry = { row?: number; index?: number; kind: string; text: string };

/** Each refused or changed entry: where it is in the file, and what the import says of it. */
function EntryList({ entries }: { entries: Entry[] }) {
  return (
    <ul className="mt-1 space-y-1 text-sm text-zinc-700 dark:text-zinc-300">
      {entries.map((entry) => (
        <li key={`${where(entry)}:${entry.text}`}>
          <span className="font-medium">{where(entry)}</span>: {entry.text}
        </li>
      ))}
    </ul>
  );
}

function ReportView({ report }: { report: ImportReport }) {
  const { lists, tags, tasks } = report.imported;
  const made = [plural(tasks, "task"), plural(lists, "new list"), plural(tags, "new tag")].join(", ");
  return (
    <div className="mt-4 space-y-3" data-testid="import-report">
      <Alert tone="info" role="status" title={`Imported ${made}`}>
        <Link href="/tasks" className="font-medium underline underline-offset-2">
          See them on your tasks page
        </Link>
      </Alert>
      {report.refused.length > 0 ? (
        <div>
          <h4 className="text-sm font-medium">Not imported ({report.refused.length})</h4>
          <EntryList entries={report.refused.map((entry) => ({ ...entry, text: entry.reason }))} />
        </div>
      ) : null}
      {report.notes.length > 0 ? (
        <details className="text-sm">
          <summary className="cursor-pointer font-medium">Imported with changes ({report.notes.length})</summary>
          <EntryList entries={report.notes.map((entry) => ({ ...entry, text: entry.note }))} />
        </details>
      ) : null}
    </div>
  );
}

function ImportPanel({ userId }: { userId: string }) {
  const api = useMemo(() => createTransferApi(userId), [userId]);
  const queryClient = useQueryClient();
  const id = useId();
  const fileInput = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | undefined>();
  const [listName, setListName] = useState("");
  const [missingFile, setMissingFile] = useState(false);
  const isCsv = file !== undefined && importContentType(file) === "text/csv";
  const upload = useMutation<ImportReport, ApiFailure, { file: File; listName?: string }>({
    mutationFn: ({ file, listName }) => unwrap(api.importFile(file, listName)),
    onSettled: () => queryClient.invalidateQueries({ queryKey: taskKeys.all(userId) }),
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!file) {
      setMissingFile(true);
      fileInput.current?.focus();
      return;
    }
    upload.mutate({ file, listName: isCsv && listName.trim() ? listName.trim() : undefined });
  }

  return (
    <div className={card}>
      <h3 className="font-medium">Import</h3>
      <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
        A JSON export of this app, or a CSV a Todoist project exported (<em>Export as template</em>). Imported tasks are
        added to what you have: importing a file twice adds its tasks twice.
      </p>
      <form className="mt-4 space-y-4" onSubmit={submit} noValidate>
        <Field
          id={`${id}-file`}
          label="File"
          error={missingFile ? "Choose a file to import." : undefined}
          hint="JSON or CSV, up to 5 MB and 5,000 tasks."
        >
          {(control) => (
            <input
              {...control}
              ref={fileInput}
              type="file"
              accept=".json,.csv,application/json,text/csv"
              className={cn(
                fieldClasses,
                "h-auto py-2 file:mr-3 file:rounded-md file:border-0 file:bg-zinc-100 file:px-3 file:py-1 file:text-sm file:font-medium file:text-zinc-900 dark:file:bg-zinc-800 dark:file:text-zinc-100",
              )}
              onChange={(event) => {
                setFile(event.target.files?.[0]);
                setMissingFile(false);
                upload.reset();
              }}
            />
          )}
        </Field>
        {isCsv ? (
          <Field
            id={`${id}-list`}
            label="List for the Todoist tasks"
            hint="One of your lists by name, or a new one. Leave it empty for the Inbox."
          >
            {(control) => (
              <Input
                {...control}
                value={listName}
                maxLength={100}
                placeholder="Inbox"
                onChange={(event) => setListName(event.target.value)}
              />
            )}
          </Field>
        ) : null}
        <Button type="submit" disabled={upload.isPending} aria-busy={upload.isPending || undefined}>
          {upload.isPending ? <Spinner /> : <TrayIcon arrow="up" />}
          {upload.isPending ? "Importing…" : "Import"}
        </Button>
      </form>
      <div aria-live="polite">{upload.data ? <ReportView report={upload.data} /> : null}</div>
      {upload.error ? (
        <div className="mt-4">
          <Problem error={upload.error.apiError} title="Nothing was imported" />
        </div>
      ) : null}
    </div>
  );
}

const ARROWS = {
  down: "M10.75 2.75a.75.75 0 00-1.5 0v8.69L6.03 8.22a.75.75 0 00-1.06 1.06l4.5 4.5a.75.75 0 001.06 0l4.5-4.5a.75.75 0 10-1.06-1.06l-3.22 3.22V2.75z",
  up: "M9.25 13.25a.75.75 0 001.5 0V4.56l3.22 3.22a.75.75 0 101.06-1.06l-4.5-4.5a.75.75 0 00-1.06 0l-4.5 4.5a.75.75 0 001.06 1.06l3.22-3.22v8.69z",
};

/** An arrow into (down) or out of (up) a tray: download and upload. */
function TrayIcon({ arrow }: { arrow: keyof typeof ARROWS }) {
  return (
    <svg aria-hidden="true" viewBox="0 0 20 20" fill="currentColor">
      <path d={ARROWS[arrow]} />
      <path d="M3.5 12.75a.75.75 0 00-1.5 0v2.5A2.75 2.75 0 004.75 18h10.5A2.75 2.75 0 0018 15.25v-2.5a.75.75 0 00-1.5 0v2.5c0 .69-.56 1.25-1.25 1.25H4.75c-.69 0-1.25-.56-1.25-1.25v-2.5z" />
    </svg>
  );
}

/** Export the account as JSON or CSV; import a JSON export or a Todoist CSV, with the report of what came in. */
export function TransferSection({ userId }: { userId: string }) {
  return (
    <section aria-labelledby="transfer-heading" className="space-y-4">
      <div>
        <h2 id="transfer-heading" className="text-lg font-semibold">
          Import and export
        </h2>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
          Take your tasks with you, or bring them over from Todoist.
        </p>
      </div>
      <ExportPanel userId={userId} />
      <ImportPanel userId={userId} />
    </section>
  );
}
