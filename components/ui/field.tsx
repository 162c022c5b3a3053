import type { ReactNode } from "react";
import { cn } from "./cn";
import { Label } from "./label";

export interface FieldControlProps {
  id: string;
  "aria-describedby"?: string;
  "aria-invalid"?: true;
}

export interface FieldProps {
  id: string;
  label: ReactNode;
  /** Shown in red under the control, announced, and linked to the control. */
  error?: string;
  hint?: ReactNode;
  /** Right-aligned next to the label (a character counter, a link). */
  aside?: ReactNode;
  /** Id of an extra element describing the control (a counter rendered elsewhere). */
  describedBy?: string;
  labelClassName?: string;
  className?: string;
  children: (control: FieldControlProps) => ReactNode;
}

/** A label, a control, an optional hint and an error message, wired with ids for assistive technology. */
export function Field({ id, label, error, hint, aside, describedBy, labelClassName, className, children }: FieldProps) {
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedByIds = [error ? errorId : undefined, hint ? hintId : undefined, describedBy]
    .filter(Boolean)
    .join(" ");
  return (
    <div className={cn("flex flex-col gap-1.5", className)}>
      <div className="flex items-baseline justify-between gap-3">
        <Label htmlFor={id} className={labelClassName}>
          {label}
        </Label>
        {aside}
      </div>
      {children({ id, "aria-describedby": describedByIds || undefined, "aria-invalid": error ? true : undefined })}
      {error ? (
        <p id={errorId} role="alert" className="text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      ) : null}
      {hint ? (
        <p id={hintId} className="text-xs text-zinc-600 dark:text-zinc-400">
          {hint}
        </p>
      ) : null}
    </div>
  );
}
