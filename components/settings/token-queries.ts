"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo } from "react";
import { useTasksApi } from "@/components/tasks/task-queries";
import { unwrap } from "@/lib/client/tasks-api";
import { createTokensApi, type PersonalToken } from "@/lib/client/tokens-api";
import type { TokenCreate } from "@/lib/tokens/schema";

export const tokenKeys = { all: (userId: string) => ["tokens", userId] as const };

function useTokensApi(userId: string) {
  const tasksApi = useTasksApi(userId);
  return useMemo(() => createTokensApi(userId, tasksApi.request), [userId, tasksApi]);
}

/** The user's personal access tokens, newest first. */
export function usePersonalTokens(userId: string) {
  const api = useTokensApi(userId);
  return useQuery({ queryKey: tokenKeys.all(userId), queryFn: ({ signal }) => unwrap(api.tokens(signal)) });
}

/** Creates a token; its secret is in the mutation's data, and nowhere else (it is not kept in the list's cache). */
export function useCreatePersonalToken(userId: string) {
  const client = useQueryClient();
  const api = useTokensApi(userId);
  return useMutation({
    mutationFn: (input: TokenCreate) => unwrap(api.create(input)),
    onSuccess: ({ secret: _secret, ...token }) => {
      client.setQueryData<PersonalToken[]>(tokenKeys.all(userId), (tokens) => [token, ...(tokens ?? [])]);
      void client.invalidateQueries({ queryKey: tokenKeys.all(userId) });
    },
  });
}

/** Revokes a token: it leaves the list at once, and stops working on the next request. */
export function useRevokePersonalToken(userId: string) {
  const client = useQueryClient();
  const api = useTokensApi(userId);
  return useMutation({
    mutationFn: (token: PersonalToken) => unwrap(api.revoke(token)),
    onSuccess: (_, revoked) => {
      client.setQueryData<PersonalToken[]>(tokenKeys.all(userId), (tokens) =>
        tokens?.filter((token) => token.id !== revoked.id),
      );
      void client.invalidateQueries({ queryKey: tokenKeys.all(userId) });
    },
  });
}
