"use client";

import Link from "next/link";
import type { CreatedPersonalToken } from "@/lib/client/tokens-api";
import type { TokenCreate } from "@/lib/tokens/schema";
import { NewTokenSecret } from "./new-token-secret";
import { TokenCreateForm } from "./token-create-form";
import { TokenList } from "./token-list";
import { useCreatePersonalToken, usePersonalTokens, useRevokePersonalToken } from "./token-queries";
import { describeTokenError } from "./token-text";

/** Personal access tokens: the list (revoke any), a form for a new one, and its secret shown once. */
export function TokensSection({ userId }: { userId: string }) {
  const tokens = usePersonalTokens(userId);
  const create = useCreatePersonalToken(userId);
  const revoke = useRevokePersonalToken(userId);
  const created: CreatedPersonalToken | undefined = create.data;

  async function onCreate(input: TokenCreate): Promise<boolean> {
    try {
      await create.mutateAsync(input);
      return true;
    } catch {
      return false;
    }
  }

  return (
    <section aria-labelledby="tokens-heading" className="space-y-5">
      <div className="space-y-1.5">
        <h2 id="tokens-heading" className="text-lg font-semibold">
          Personal access tokens
        </h2>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          A token lets a script, a cron job or a home automation use the{" "}
          <Link href="/docs" className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
            API
          </Link>{" "}
          as you, without your password, in an <code className="text-xs">Authorization: Bearer</code> header. Treat it
          like a password, and revoke it when you no longer need it.
        </p>
      </div>
      {created ? <NewTokenSecret key={created.id} token={created} onDone={() => create.reset()} /> : null}
      <TokenList
        tokens={tokens.data}
        loading={tokens.isPending}
        failure={tokens.error ? describeTokenError(tokens.error) : undefined}
        onRetry={() => void tokens.refetch()}
        onRevoke={async (token) => {
          try {
            await revoke.mutateAsync(token);
            if (created?.id === token.id) create.reset();
            return undefined;
          } catch (error) {
            return describeTokenError(error);
          }
        }}
      />
      <TokenCreateForm
        busy={create.isPending}
        failure={create.error ? describeTokenError(create.error) : undefined}
        onCreate={onCreate}
      />
    </section>
  );
}
