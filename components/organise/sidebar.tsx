"use client";

import { useId, useState } from "react";
import { InboxIcon, PlusIcon } from "@/components/tasks/icons";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Dialog } from "@/components/ui/dialog";
import { Menu } from "@/components/ui/menu";
import { type Section, sameSection } from "@/lib/client/sections";
import { DeleteListDialog, DeleteTagDialog, type ListTasksChoice } from "./delete-dialogs";
import { CalendarIcon, HashIcon, LayersIcon, MenuIcon, MoreIcon, SunIcon, TagIcon } from "./icons";
import { NameForm } from "./name-form";
import { LIST_NAME_MAX_CHARS, nameError, TAG_NAME_MAX_CHARS } from "./names";
import { type Droppable, SidebarEntry } from "./sidebar-entry";
import type { ActionResult, OrganiseList, OrganiseTag, TaskSummary } from "./types";

export interface SidebarProps {
  /** In the user's order. */
  lists: OrganiseList[];
  tags: OrganiseTag[];
  /** Counts of open tasks; without it (still loading) no counts show. */
  summary?: TaskSummary;
  current: Section;
  /** The address of a view: `/tasks?view=today`, `/tasks?list=<id>`, `/tasks?tag=<name>`. */
  hrefFor: (view: Section) => string;
  onCreateList: (name: string) => ActionResult;
  onRenameList: (list: OrganiseList, name: string) => ActionResult;
  onDeleteList: (list: OrganiseList, tasks: ListTasksChoice) => ActionResult;
  onRenameTag: (tag: OrganiseTag, name: string) => ActionResult;
  onDeleteTag: (tag: OrganiseTag) => ActionResult;
  /** Makes the Inbox, each list and each tag a drop target for a dragged task. */
  droppable?: Droppable;
}

const VIEWS = [
  { view: { kind: "all" }, name: "All tasks", icon: <LayersIcon /> },
  { view: { kind: "inbox" }, name: "Inbox", icon: <InboxIcon /> },
  { view: { kind: "today" }, name: "Today", icon: <SunIcon /> },
  { view: { kind: "upcoming" }, name: "Upcoming", icon: <CalendarIcon /> },
] as const satisfies { view: Section; name: string; icon: React.ReactNode }[];

const viewCount = (view: Section, summary: TaskSummary) =>
  ({ all: summary.active, inbox: summary.inbox, today: summary.views.today, upcoming: summary.views.upcoming })[
    view.kind as "all" | "inbox" | "today" | "upcoming"
  ];

/** The navigation: views, lists (with New list, Rename, Delete) and tags (Rename, Delete), each with its count. */
function SidebarNav({ onNavigate, ...props }: SidebarProps & { onNavigate?: () => void }) {
  const { lists, tags, summary, current, hrefFor, droppable } = props;
  const [creating, setCreating] = useState(false);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [deletingList, setDeletingList] = useState<OrganiseList | null>(null);
  const [deletingTag, setDeletingTag] = useState<OrganiseTag | null>(null);
  const listsHeading = useId();
  const tagsHeading = useId();
  const entry = { droppable, onNavigate };

  const listNames = (except?: OrganiseList) => lists.filter((list) => list !== except).map((list) => list.name);
  const tagNames = (except?: OrganiseTag) => tags.filter((tag) => tag !== except).map((tag) => tag.name);

  return (
    <nav aria-label="Views, lists and tags" className="flex flex-col gap-6 text-sm">
      <ul className="flex flex-col gap-0.5">
        {VIEWS.map(({ view, name, icon }) => (
          <SidebarEntry
            key={view.kind}
            {...entry}
            href={hrefFor(view)}
            icon={icon}
            name={name}
            count={summary && viewCount(view, summary)}
            current={sameSection(view, current)}
            dropTarget={view.kind === "inbox" ? { kind: "list", listId: null } : undefined}
          />
        ))}
      </ul>

      <section aria-labelledby={listsHeading}>
        <div className="flex items-center justify-between gap-2 pr-1 pl-2.5">
          <h2
            id={listsHeading}
            className="text-xs font-semibold tracking-wide text-zinc-600 uppercase dark:text-zinc-400"
          >
            Lists
          </h2>
          <Button
            variant="ghost"
            size="sm"
            aria-expanded={creating}
            onClick={() => setCreating((open) => !open)}
            className="h-7 px-1.5"
          >
            <PlusIcon />
            New list
          </Button>
        </div>
        {creating ? (
          <NameForm
            label="New list name"
            submitLabel="Add list"
            check={(name) => nameError(name, { kind: "list", max: LIST_NAME_MAX_CHARS, taken: listNames() })}
            onSubmit={async (name) => {
              const failure = await props.onCreateList(name);
              if (typeof failure !== "string") setCreating(false);
              return failure;
            }}
            onCancel={() => setCreating(false)}
          />
        ) : null}
        <ul className="mt-1 flex flex-col gap-0.5">
          {lists.map((list) =>
            renaming === list.id ? (
              <li key={list.id}>
                <NameForm
                  label={`Rename list ${list.name}`}
                  initial={list.name}
                  submitLabel="Rename"
                  check={(name) => nameError(name, { kind: "list", max: LIST_NAME_MAX_CHARS, taken: listNames(list) })}
                  onSubmit={async (name) => {
                    const failure = await props.onRenameList(list, name);
                    if (typeof failure !== "string") setRenaming(null);
                    return failure;
                  }}
                  onCancel={() => setRenaming(null)}
                />
              </li>
            ) : (
              <SidebarEntry
                key={list.id}
                {...entry}
                href={hrefFor({ kind: "list", id: list.id })}
                icon={<HashIcon />}
                name={list.name}
                count={summary && (summary.lists[list.id] ?? 0)}
                current={sameSection({ kind: "list", id: list.id }, current)}
                dropTarget={{ kind: "list", listId: list.id }}
                actions={
                  <Menu
                    label={`Actions for list ${list.name}`}
                    icon={<MoreIcon />}
                    className={rowActionClasses}
                    items={[
                      { label: "Rename", onSelect: () => setRenaming(list.id) },
                      { label: "Delete", tone: "danger", onSelect: () => setDeletingList(list) },
                    ]}
                  />
                }
              />
            ),
          )}
        </ul>
        {lists.length === 0 && !creating ? (
          <p className="px-2.5 py-1 text-xs text-zinc-600 dark:text-zinc-400">No lists yet.</p>
        ) : null}
      </section>

      {tags.length > 0 ? (
        <section aria-labelledby={tagsHeading}>
          <h2
            id={tagsHeading}
            className="px-2.5 text-xs font-semibold tracking-wide text-zinc-600 uppercase dark:text-zinc-400"
          >
            Tags
          </h2>
          <ul className="mt-1 flex flex-col gap-0.5">
            {tags.map((tag) =>
              renaming === tag.id ? (
                <li key={tag.id}>
                  <NameForm
                    label={`Rename tag ${tag.name}`}
                    initial={tag.name}
                    submitLabel="Rename"
                    check={(name) => nameError(name, { kind: "tag", max: TAG_NAME_MAX_CHARS, taken: tagNames(tag) })}
                    onSubmit={async (name) => {
                      const failure = await props.onRenameTag(tag, name);
                      if (typeof failure !== "string") setRenaming(null);
                      return failure;
                    }}
                    onCancel={() => setRenaming(null)}
                  />
                </li>
              ) : (
                <SidebarEntry
                  key={tag.id}
                  {...entry}
                  href={hrefFor({ kind: "tag", name: tag.name })}
                  icon={<TagIcon />}
                  name={tag.name}
                  count={summary ? (summary.tags[tag.id] ?? 0) : tag.task_count}
                  current={sameSection({ kind: "tag", name: tag.name }, current)}
                  dropTarget={{ kind: "tag", name: tag.name }}
                  actions={
                    <Menu
                      label={`Actions for tag ${tag.name}`}
                      icon={<MoreIcon />}
                      className={rowActionClasses}
                      items={[
                        { label: "Rename", onSelect: () => setRenaming(tag.id) },
                        { label: "Delete", tone: "danger", onSelect: () => setDeletingTag(tag) },
                      ]}
                    />
                  }
                />
              ),
            )}
          </ul>
        </section>
      ) : null}

      <DeleteListDialog
        key={deletingList?.id}
        list={deletingList}
        openTasks={deletingList ? (summary?.lists[deletingList.id] ?? 0) : 0}
        onDelete={props.onDeleteList}
        onClose={() => setDeletingList(null)}
      />
      <DeleteTagDialog
        key={deletingTag?.id}
        tag={deletingTag}
        onDelete={props.onDeleteTag}
        onClose={() => setDeletingTag(null)}
      />
    </nav>
  );
}

/** On a pointer that hovers, a row's ⋯ shows on hover or focus; on touch screens it is always there. */
const rowActionClasses =
  "[@media(hover:hover)]:opacity-0 [@media(hover:hover)]:group-hover:opacity-100 [@media(hover:hover)]:group-focus-within:opacity-100 aria-expanded:opacity-100";

/** The navigation as a column, from 768 px. */
export function SidebarColumn({ className, ...props }: SidebarProps & { className?: string }) {
  return (
    <aside
      className={cn(
        "hidden w-64 shrink-0 overflow-y-auto border-r border-zinc-200 px-3 py-6 md:block dark:border-zinc-800",
        className,
      )}
    >
      <SidebarNav {...props} />
    </aside>
  );
}

/** Below 768 px: a menu button (for the header) opening the same navigation in a drawer. */
export function SidebarDrawerButton(props: SidebarProps) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button
        variant="ghost"
        size="sm"
        aria-label="Views, lists and tags"
        aria-haspopup="dialog"
        onClick={() => setOpen(true)}
        className="size-9 px-0 md:hidden"
      >
        <MenuIcon />
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title="Views, lists and tags" variant="drawer">
        <SidebarNav {...props} onNavigate={() => setOpen(false)} />
      </Dialog>
    </>
  );
}
