// The browser's client for the personal access token routes (the settings page). It sends through the task client's
// request (the signed-in user's JWT, one retry on 401, typed results), so failures look the same as elsewhere.

import { z } from "zod";
import { CreatedTokenJson, type TokenCreate, TokenJson } from "@/lib/tokens/schema";
import type { ApiResult, TaskRequest } from "./tasks-api";

export type PersonalToken = TokenJson;
export type CreatedPersonalToken = CreatedTokenJson;

export interface TokensApi {
  tokens(signal?: AbortSignal): Promise<ApiResult<PersonalToken[]>>;
  /** The only answer that carries the token's secret. */
  create(input: TokenCreate): Promise<ApiResult<CreatedPersonalToken>>;
  revoke(token: PersonalToken): Promise<ApiResult<undefined>>;
}

export function createTokensApi(userId: string, request: TaskRequest): TokensApi {
  const tokens = `/api/${encodeURIComponent(userId)}/tokens`;
  return {
    tokens: (signal) => request({ method: "GET", path: tokens, schema: z.array(TokenJson), signal }),
    create: (input) => request({ method: "POST", path: tokens, body: input, schema: CreatedTokenJson }),
    revoke: (token) => request({ method: "DELETE", path: `${tokens}/${encodeURIComponent(token.id)}` }),
  };
}
