"use client";

import { type ReactNode, useState } from "react";
import { TrashIcon } from "@/components/tasks/icons";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Dialog } from "@/components/ui/dialog";
import { Skeleton } from "@/components/ui/skeleton";
import type { PersonalToken } from "@/lib/client/tokens-api";
import { formatDate, formatExpiry, formatLastUsed, isExpired, SCOPE_LABEL } from "./token-text";

const BADGE = "inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium";

function TokenRow({ token, onRevoke }: { token: PersonalToken; onRevoke: (token: PersonalToken) => void }) {
  const expired = isExpired(token);
  return (
    <li className="flex flex-col gap-3 px-4 py-3.5 sm:flex-row sm:items-center">
      <div className="min-w-0 flex-1 space-y-1">
        <div className="flex flex-wrap items-center gap-2">
          <span className="truncate font-medium">{token.name}</span>
          <span
            className={cn(
              BADGE,
              token.scope === "tasks:read"
                ? "bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300"
                : "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200",
            )}
          >
            {SCOPE_LABEL[token.scope]}
          </span>
          {expired ? (
            <span className={cn(BADGE, "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-200")}>Expired</span>
          ) : null}
        </div>
        <p className="flex flex-wrap gap-x-3 gap-y-0.5 text-xs text-zinc-600 dark:text-zinc-400">
          <code className="font-mono">{token.hint}</code>
          <span>Created {formatDate(token.created_at)}</span>
          <span>{formatLastUsed(token.last_used_at)}</span>
          <span className={expired ? "text-red-700 dark:text-red-400" : undefined}>{formatExpiry(token)}</span>
        </p>
      </div>
      <Button
        variant="danger"
        size="sm"
        onClick={() => onRevoke(token)}
        aria-label={`Revoke ${token.name}`}
        className="self-start sm:self-center"
      >
        <TrashIcon />
        Revoke
      </Button>
    </li>
  );
}

/** The tokens, each with its access, dates and a revoke button that asks first. */
export function TokenList({
  tokens,
  loading,
  failure,
  onRetry,
  onRevoke,
}: {
  tokens: PersonalToken[] | undefined;
  loading: boolean;
  failure: string | undefined;
  onRetry: () => void;
  onRevoke: (token: PersonalToken) => Promise<string | undefined>;
}) {
  const [confirming, setConfirming] = useState<PersonalToken | null>(null);
  const [busy, setBusy] = useState(false);
  const [revokeFailure, setRevokeFailure] = useState<string>();

  const close = () => {
    setConfirming(null);
    setRevokeFailure(undefined);
  };

  async function revoke(token: PersonalToken) {
    setBusy(true);
    const failed = await onRevoke(token).finally(() => setBusy(false));
    if (failed) setRevokeFailure(failed);
    else close();
  }

  let body: ReactNode;
  if (failure && !tokens) {
    body = (
      <Alert
        role="alert"
        title="Your tokens could not be loaded"
        action={
          <Button variant="secondary" size="sm" onClick={onRetry}>
            Try again
          </Button>
        }
      >
        {failure}
      </Alert>
    );
  } else if (loading && !tokens) {
    body = (
      <div role="status" aria-label="Loading your tokens" className="space-y-2">
        <Skeleton className="h-16 rounded-xl" />
        <Skeleton className="h-16 rounded-xl" />
      </div>
    );
  } else if (!tokens || tokens.length === 0) {
    body = (
      <p className="rounded-xl border border-dashed border-zinc-300 px-4 py-6 text-center text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
        No tokens yet. Create one below for a script, a cron job or an automation.
      </p>
    );
  } else {
    body = (
      <ul
        aria-label="Your tokens"
        className="divide-y divide-zinc-200 rounded-xl border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900"
      >
        {tokens.map((token) => (
          <TokenRow key={token.id} token={token} onRevoke={setConfirming} />
        ))}
      </ul>
    );
  }

  return (
    <>
      {body}
      <Dialog
        open={confirming !== null}
        onClose={close}
        title={`Revoke “${confirming?.name ?? ""}”?`}
        footer={
          <>
            <Button variant="ghost" onClick={close}>
              Cancel
            </Button>
            <Button
              variant="danger"
              disabled={busy}
              onClick={() => confirming && void revoke(confirming)}
              className="border border-red-300 dark:border-red-900"
            >
              {busy ? "Revoking…" : "Revoke token"}
            </Button>
          </>
        }
      >
        <p className="text-sm text-zinc-700 dark:text-zinc-300">
          Anything using it stops working at once, on its next request. This cannot be undone: to reconnect a script,
          create a new token.
        </p>
        {revokeFailure ? (
          <Alert role="alert" className="mt-3">
            {revokeFailure}
          </Alert>
        ) : null}
      </Dialog>
    </>
  );
}
