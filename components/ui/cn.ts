/** Joins class names, skipping falsy ones. Variants are designed not to need conflict resolution. */
export function cn(...classes: (string | false | null | undefined)[]): string {
  return classes.filter(Boolean).join(" ");
}
