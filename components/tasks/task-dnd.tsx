"use client";

import {
  type Announcements,
  closestCenter,
  DndContext,
  type DragEndEvent,
  KeyboardSensor,
  type Over,
  PointerSensor,
  type UniqueIdentifier,
  useDroppable,
  useSensor,
  useSensors,
} from "@dnd-kit/core";
import {
  SortableContext,
  type SortingStrategy,
  sortableKeyboardCoordinates,
  useSortable,
  verticalListSortingStrategy,
} from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import { type ComponentProps, type ReactNode, useId } from "react";
import type { DropTarget } from "@/components/organise/sidebar-entry";
import { cn } from "@/components/ui/cn";
import type { TaskMove } from "@/lib/tasks/schema";
import { GripIcon } from "./icons";
import { TaskItem } from "./task-item";
import type { UiTask } from "./task-keys";
import { useHydrated } from "./use-hydrated";

/** Outside the user's own order (a view, a tag, All tasks) a drag goes to the sidebar only: rows stay put. */
const staying: SortingStrategy = () => null;

/**
 * Drag and drop for the task page (@dnd-kit): a row's handle picks it up with the pointer or the keyboard (Space,
 * the arrows, Space again; Esc cancels). Dropped on another row of a list in manual order, it goes there; dropped on
 * a list, the Inbox or a tag in the sidebar, it moves to that list or gets that tag.
 */
export function TaskDnd({
  tasks,
  ordered,
  onReorder,
  onDrop,
  children,
}: {
  tasks: UiTask[];
  ordered: boolean;
  onReorder: (task: UiTask, move: TaskMove) => void;
  onDrop: (task: UiTask, target: DropTarget) => void;
  children: ReactNode;
}) {
  // Its own id, so the ids it gives the rows are the same on the server and in the browser.
  const id = useId();
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );

  function onDragEnd({ active, over }: DragEndEvent) {
    const task = tasks.find((t) => t.id === active.id);
    if (!task || !over || over.id === active.id) return;
    const target = over.data.current?.target as DropTarget | undefined;
    if (target) return onDrop(task, target);
    if (!ordered) return;
    const from = tasks.findIndex((t) => t.id === active.id);
    const to = tasks.findIndex((t) => t.id === over.id);
    if (to === -1) return;
    onReorder(task, from < to ? { after: String(over.id) } : { before: String(over.id) });
  }

  // What a screen reader hears while dragging, in the words of the page (titles and list names, not ids).
  const titleOf = (id: UniqueIdentifier) => tasks.find((task) => task.id === id)?.title ?? "the task";
  const placeOf = (over: Over | null) => {
    const target = over?.data.current?.target as DropTarget | undefined;
    if (!over) return "no place";
    return target ? String(over.data.current?.name) : titleOf(over.id);
  };
  const announcements: Announcements = {
    onDragStart: ({ active }) => `Picked up ${titleOf(active.id)}.`,
    onDragOver: ({ active, over }) => `${titleOf(active.id)} is over ${placeOf(over)}.`,
    onDragEnd: ({ active, over }) => `${titleOf(active.id)} was dropped on ${placeOf(over)}.`,
    onDragCancel: ({ active }) => `Moving ${titleOf(active.id)} was cancelled.`,
  };

  return (
    <DndContext
      id={id}
      sensors={sensors}
      collisionDetection={closestCenter}
      onDragEnd={onDragEnd}
      accessibility={{
        announcements,
        screenReaderInstructions: {
          draggable:
            "To move a task, press Space. Use the arrow keys to move it up or down, Space again to drop it, Escape to cancel.",
        },
      }}
    >
      <SortableContext items={tasks.map((task) => task.id)} strategy={ordered ? verticalListSortingStrategy : staying}>
        {children}
      </SortableContext>
    </DndContext>
  );
}

const HANDLE_CLASS = "-ml-2 mt-0.5 flex h-6 w-5 shrink-0 items-center justify-center rounded [&_svg]:size-4";

/** A task row that can be dragged by its handle. */
export function SortableTaskItem(props: Omit<ComponentProps<typeof TaskItem>, "handle" | "itemRef" | "style">) {
  const { task } = props;
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({
    id: task.id,
    disabled: task.pending === true,
  });
  // Before the scripts run a handle could not move anything: its place is kept, and the handle comes with them.
  const hydrated = useHydrated();
  return (
    <TaskItem
      {...props}
      itemRef={setNodeRef}
      style={{ transform: CSS.Translate.toString(transform), transition }}
      dragging={isDragging}
      handle={
        !hydrated ? (
          <span aria-hidden="true" className={cn(HANDLE_CLASS, "text-zinc-400")}>
            <GripIcon />
          </span>
        ) : (
          <button
            type="button"
            ref={setActivatorNodeRef}
            {...attributes}
            {...listeners}
            aria-label={`Move ${task.title}`}
            className={cn(
              HANDLE_CLASS,
              "cursor-grab touch-none text-zinc-400 hover:text-zinc-700 dark:hover:text-zinc-200",
            )}
          >
            <GripIcon />
          </button>
        )
      }
    />
  );
}

/** A sidebar row a task can be dropped on. */
export function DropZone({ target, name, children }: { target: DropTarget; name: string; children: ReactNode }) {
  const id = target.kind === "list" ? `drop-list-${target.listId ?? "inbox"}` : `drop-tag-${target.name}`;
  const { setNodeRef, isOver } = useDroppable({ id, data: { target, name } });
  return (
    <div ref={setNodeRef} className={cn("rounded-lg", isOver && "ring-2 ring-indigo-500")}>
      {children}
    </div>
  );
}
