"use client";

import { describeApiError } from "@/components/tasks/api-messages";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ApiFailure } from "@/lib/client/tasks-api";

/** A read that failed: why (the API's refusal, else `fallback`), and a way to try again. */
export function LoadFailure({ error, fallback, onRetry }: { error: unknown; fallback: string; onRetry: () => void }) {
  return (
    <Alert
      role="alert"
      action={
        <Button variant="secondary" size="sm" onClick={onRetry}>
          Try again
        </Button>
      }
    >
      {error instanceof ApiFailure ? describeApiError(error.apiError) : fallback}
    </Alert>
  );
}
