import { cn } from "@/components/ui/cn";
import { charCount, nearLimit } from "@/lib/client/task-form";

/** "412 / 500", shown from 80% of the limit, red over it. Linked to its field with aria-describedby. */
export function CharCounter({ id, value, max }: { id: string; value: string; max: number }) {
  if (!nearLimit(value, max)) return null;
  const count = charCount(value);
  const over = count > max;
  return (
    <span
      id={id}
      className={cn(
        "text-xs tabular-nums",
        over ? "font-semibold text-red-700 dark:text-red-400" : "text-zinc-600 dark:text-zinc-400",
      )}
    >
      <span className="sr-only">Characters used: </span>
      {count.toLocaleString("en")} / {max.toLocaleString("en")}
    </span>
  );
}

export function counterId(fieldId: string, value: string, max: number): string | undefined {
  return nearLimit(value, max) ? `${fieldId}-count` : undefined;
}
