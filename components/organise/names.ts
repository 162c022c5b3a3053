import { TAG_NAME_MAX_CHARS } from "@/lib/tasks/schema";
import { charCount, nameKey } from "@/lib/text";

export const LIST_NAME_MAX_CHARS = 100;
export { TAG_NAME_MAX_CHARS };

/**
 * What the server would say of a list or tag name, said first: empty once trimmed, too long, or taken (ignoring
 * case) by another one. Undefined when the name is fine.
 */
export function nameError(
  name: string,
  { kind, max, taken = [] }: { kind: "list" | "tag"; max: number; taken?: string[] },
): string | undefined {
  const trimmed = name.trim();
  if (trimmed === "") return `Enter a ${kind} name.`;
  if (charCount(trimmed) > max) return `A ${kind} name is at most ${max} characters.`;
  if (taken.some((other) => nameKey(other) === nameKey(trimmed)))
    return `There is already a ${kind} called “${trimmed}”.`;
  return undefined;
}
