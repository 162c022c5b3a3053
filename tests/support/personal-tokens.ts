import { expect } from "vitest";
import type { CreatedTokenJson, TokenScope } from "@/lib/tokens/schema";
import { call } from "./app.ts";
import { expectJson } from "./tasks.ts";
import type { TestUser } from "./users.ts";

export const tokensPath = (user: { id: string }) => `/api/${user.id}/tokens`;
export const tokenPath = (user: { id: string }, tokenId: string) => `/api/${user.id}/tokens/${tokenId}`;

/** `tsk_pat_`, 43 base64url characters, a 6-character base62 checksum. */
export const SECRET_PATTERN = /^tsk_pat_[A-Za-z0-9_-]{43}[0-9A-Za-z]{6}$/;

export const READ = "tasks:read" satisfies TokenScope;
export const READ_WRITE = "tasks:read tasks:write" satisfies TokenScope;

/** Creates a personal token as the signed-in user does in the settings page; returns it with its one-time secret. */
export async function createPersonalToken(
  user: TestUser,
  input: { name?: string; scope?: TokenScope; expires_at?: string | null } = {},
): Promise<CreatedTokenJson> {
  const response = await call("POST", tokensPath(user), {
    token: user.token,
    json: { name: "cron job", scope: READ_WRITE, ...input },
  });
  const created = await expectJson<CreatedTokenJson>(response, 201);
  expect(created.secret).toMatch(SECRET_PATTERN);
  return created;
}

export const revokePersonalToken = (user: TestUser, tokenId: string) =>
  call("DELETE", tokenPath(user, tokenId), { token: user.token });
