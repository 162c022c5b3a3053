import Link from "next/link";
import type { ReactNode } from "react";
import { cn } from "@/components/ui/cn";

/** Where a dragged task can be dropped: on a list (null: the Inbox) or on a tag. */
export type DropTarget = { kind: "list"; listId: string | null } | { kind: "tag"; name: string };

/** Wraps a sidebar row so a drag-and-drop library can make it a drop target (e.g. @dnd-kit's `useDroppable`). */
export type Droppable = (target: DropTarget, row: ReactNode) => ReactNode;

const dropAttributes = (target: DropTarget | undefined) =>
  target?.kind === "list"
    ? { "data-drop-list-id": target.listId ?? "inbox" }
    : target?.kind === "tag"
      ? { "data-drop-tag": target.name }
      : {};

const tasksText = (count: number) => (count === 1 ? " task" : " tasks");

/** One row of the navigation: a link with its icon and count, the current one marked, and optional actions. */
export function SidebarEntry({
  href,
  icon,
  name,
  count,
  current,
  actions,
  dropTarget,
  droppable,
  onNavigate,
}: {
  href: string;
  icon: ReactNode;
  name: string;
  count: number | undefined;
  current: boolean;
  actions?: ReactNode;
  dropTarget?: DropTarget;
  droppable?: Droppable;
  onNavigate?: () => void;
}) {
  const row = (
    <div
      {...dropAttributes(dropTarget)}
      className={cn(
        "group flex items-center gap-1 rounded-lg pr-1",
        current
          ? "bg-indigo-50 text-indigo-950 dark:bg-indigo-950/60 dark:text-indigo-50"
          : "text-zinc-800 hover:bg-zinc-200/60 dark:text-zinc-200 dark:hover:bg-zinc-800/70",
      )}
    >
      <Link
        href={href}
        aria-current={current ? "page" : undefined}
        onClick={onNavigate}
        className="flex min-w-0 flex-1 items-center gap-2.5 rounded-lg py-1.5 pl-2.5 text-sm font-medium [&_svg]:size-4 [&_svg]:shrink-0"
      >
        <span className={current ? "text-indigo-600 dark:text-indigo-300" : "text-zinc-500 dark:text-zinc-400"}>
          {icon}
        </span>
        <span className="min-w-0 flex-1 truncate">{name}</span>
        {count !== undefined && count > 0 ? (
          <span className="text-xs text-zinc-600 tabular-nums dark:text-zinc-400">
            <span className="sr-only">, </span>
            {count}
            <span className="sr-only">{tasksText(count)}</span>
          </span>
        ) : null}
      </Link>
      {actions}
    </div>
  );
  return <li>{droppable && dropTarget ? droppable(dropTarget, row) : row}</li>;
}
