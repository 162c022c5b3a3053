import { randomUUID } from "node:crypto";
import { decodeJwt } from "jose";
import { expect } from "vitest";
import { call } from "./app.ts";
import { cookieOf } from "./cookies.ts";

/** `sessionId` is the session the sign-up opened, the `sid` of its tokens. */
export type TestUser = {
  id: string;
  email: string;
  password: string;
  cookie: string;
  token: string;
  sessionId: string;
};

/** Signs a new person up through Better Auth and fetches a task-API token the way a client does. */
export async function signUp(name = "Test User"): Promise<TestUser> {
  const email = `user-${randomUUID()}@example.test`;
  const password = "correct horse battery staple";
  const signUpResponse = await call("POST", "/api/auth/sign-up/email", { json: { name, email, password } });
  expect(signUpResponse.status, await signUpResponse.clone().text()).toBe(200);
  const { user } = (await signUpResponse.json()) as { user: { id: string } };
  const cookie = cookieOf(signUpResponse);
  const token = await fetchToken(cookie);
  return { id: user.id, email, password, cookie, token, sessionId: String(decodeJwt(token).sid) };
}

export async function fetchToken(cookie: string): Promise<string> {
  const response = await call("GET", "/api/auth/token", { headers: { Cookie: cookie } });
  expect(response.status).toBe(200);
  const { token } = (await response.json()) as { token: string };
  return token;
}

/** Two independent people, for the isolation stories. */
export async function twoUsers(): Promise<[TestUser, TestUser]> {
  return [await signUp("Alice"), await signUp("Bob")];
}
