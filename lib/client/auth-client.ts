"use client";

// Better Auth's browser client: sign up, sign in and sign out against /api/auth (same origin).

import { createAuthClient } from "better-auth/client";
import { clearToken } from "./token";

export const authClient = createAuthClient();

export type AuthFailure = {
  status: number;
  /** Better Auth's error code (`USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL`...), `NETWORK_ERROR` without a response. */
  code: string;
  message: string;
};

type Outcome = { ok: true } | { ok: false; error: AuthFailure };

const NETWORK: AuthFailure = {
  status: 0,
  code: "NETWORK_ERROR",
  message: "Couldn't reach the server. Check your connection and try again.",
};

function outcome(result: { error: { status: number; code?: string; message?: string } | null }): Outcome {
  if (!result.error) return { ok: true };
  const { status, code, message } = result.error;
  if (status === 0) return { ok: false, error: NETWORK };
  return { ok: false, error: { status, code: code ?? "UNKNOWN", message: message ?? "" } };
}

export async function signUpWithEmail(input: { name: string; email: string; password: string }): Promise<Outcome> {
  try {
    return outcome(await authClient.signUp.email(input));
  } catch {
    return { ok: false, error: NETWORK };
  }
}

export async function signInWithEmail(input: { email: string; password: string }): Promise<Outcome> {
  try {
    return outcome(await authClient.signIn.email(input));
  } catch {
    return { ok: false, error: NETWORK };
  }
}

export async function signOut(): Promise<Outcome> {
  clearToken();
  try {
    return outcome(await authClient.signOut());
  } catch {
    return { ok: false, error: NETWORK };
  }
}

/** The message for a refused sign-in/sign-up that is not tied to one field. */
export function describeAuthFailure(error: AuthFailure, action: "sign in" | "sign up"): string {
  if (error.code === "NETWORK_ERROR") return error.message;
  if (error.status === 429) return "Too many attempts. Wait a few seconds, then try again.";
  if (error.status >= 500) return "The server had a problem. Try again in a moment.";
  const fallback = action === "sign in" ? "Couldn't sign you in." : "Couldn't create your account.";
  return error.message ? `${fallback} ${error.message.replace(/\.?$/, ".")}` : `${fallback} Try again.`;
}
