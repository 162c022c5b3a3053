import { z } from "zod";
import { charCount } from "./text";

/** A string field: valid Unicode, no NUL (PostgreSQL's text refuses it), at most `max` code points after any trim. */
export function text(label: string, max: number, { trim = false } = {}) {
  const string = z.string({
    error: (issue) => (issue.input === null ? `${label} cannot be null` : `${label} must be a string`),
  });
  return (trim ? string.trim() : string)
    .refine((value) => value.isWellFormed(), `${label} must be valid Unicode (no lone surrogates)`)
    .refine((value) => !value.includes("\u0000"), `${label} must not contain NUL characters`)
    .refine((value) => charCount(value) <= max, `${label} must be at most ${max} characters`);
}

/** A title or a name: trimmed, then 1 to `max` code points. */
export const trimmedText = (label: string, max: number) =>
  text(label, max, { trim: true }).refine((value) => value.length > 0, `${label} must not be empty`);
