import type { z } from "zod";
import { ApiError, type FieldProblem } from "./errors";

function fieldProblems(error: z.ZodError): FieldProblem[] {
  return error.issues.flatMap((issue): FieldProblem[] => {
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({ field: key, message: `${key} is not a field you can set` }));
    }
    const field = issue.path.join(".");
    if (!field) {
      // A rule about the whole body (e.g. "send at least one field") says so; anything else is the wrong type.
      const message = issue.code === "custom" ? issue.message : "the request body must be a JSON object";
      return [{ field: "(body)", message }];
    }
    if (issue.code === "invalid_type" && issue.input === undefined) {
      return [{ field, message: `${field} is required` }];
    }
    return [{ field, message: issue.message }];
  });
}

/** Parses input with a zod schema; failure is a 422 listing each field's (or query parameter's) problem. */
export function validate<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
  subject: "request body" | "query string" = "request body",
): z.output<Schema> {
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  const fields = fieldProblems(result.error);
  const detail = fields.map((problem) => problem.message).join("; ");
  throw new ApiError("validation_error", `The ${subject} is invalid: ${detail}.`, { fields });
}

/** validate() of a URL's query string: each parameter once, as a string (a repeated one keeps its last value). */
export function validateQuery<Schema extends z.ZodType>(schema: Schema, url: string): z.output<Schema> {
  return validate(schema, Object.fromEntries(new URL(url).searchParams), "query string");
}
