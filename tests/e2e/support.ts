import { randomUUID } from "node:crypto";
import { type Browser, test as base, expect, type Locator, type Page, type Request } from "@playwright/test";

export { expect };

export const test = base;

export const PASSWORD = "correct horse battery staple";

export type User = { name: string; email: string; password: string };

/** A user nobody has signed up yet: every test makes its own, so the persistent embedded database needs no reset. */
export function newUser(name = "Ada Lovelace"): User {
  return { name, email: `e2e-${Date.now()}-${randomUUID().slice(0, 8)}@example.com`, password: PASSWORD };
}

/** Fills and submits the sign-up form; does not wait for the outcome. */
export async function submitSignUp(page: Page, user: User): Promise<void> {
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill(user.name);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign up" }).click();
}

/** Signs a new user up through the form and waits until the (empty) task list has loaded. */
export async function signUp(page: Page, user: User = newUser()): Promise<User> {
  await submitSignUp(page, user);
  await expect(page).toHaveURL(/\/tasks$/);
  await expect(page.getByRole("heading", { name: "Tasks", exact: true })).toBeVisible();
  await listLoaded(page);
  return user;
}

/** Waits until the page has the list from the API: the filter buttons show counts only then. */
export async function listLoaded(page: Page): Promise<void> {
  await expect(filterButton(page, "All")).toHaveAccessibleName(/\(\d+\)/);
}

/** Fills and submits the sign-in form on the current page (navigates to /sign-in first unless told not to). */
export async function submitSignIn(page: Page, user: Pick<User, "email" | "password">, navigate = true): Promise<void> {
  if (navigate) await page.goto("/sign-in");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export async function signIn(page: Page, user: Pick<User, "email" | "password">): Promise<void> {
  await submitSignIn(page, user);
  await expect(page).toHaveURL(/\/tasks$/);
  await listLoaded(page);
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).not.toHaveURL(/\/tasks/);
}

/** The task's checkbox, whose accessible name is the task's title. */
export function taskCheckbox(page: Page, title: string): Locator {
  return page.getByRole("checkbox", { name: title, exact: true });
}

/**
 * Ticks a task as done, as a user does: a click, then the tick. Not check(), which asserts at once: the tick shows
 * once the reads the page has under way (a live event's, say) are cancelled, so it may come a moment later.
 */
export async function tickTask(page: Page, title: string): Promise<void> {
  await taskCheckbox(page, title).click();
  await expect(taskCheckbox(page, title)).toBeChecked();
}

/** The list item holding the task titled `title`. */
export function taskItem(page: Page, title: string): Locator {
  return page.getByRole("listitem").filter({ has: taskCheckbox(page, title) });
}

/** All the task checkboxes on the page, in order. */
export function allTaskCheckboxes(page: Page): Locator {
  return page.getByRole("main").getByRole("checkbox");
}

/** Adds a task with the form (Enter submits) and waits until the server has stored it. */
export async function addTask(page: Page, title: string, description?: string): Promise<void> {
  if (description !== undefined) await page.getByLabel("Description").fill(description);
  const title_ = page.getByLabel("Title", { exact: true });
  await title_.fill(title);
  const created = page.waitForResponse((response) => isTasksRequest(response.request(), "POST"));
  await title_.press("Enter");
  expect((await created).status()).toBe(201);
  await expect(taskCheckbox(page, title)).toBeVisible();
}

/** A filter button ("All", "Active", "Completed"); its name carries the count, e.g. "Active (2)". */
export function filterButton(page: Page, filter: "All" | "Active" | "Completed"): Locator {
  return page.getByRole("button", { name: new RegExp(`^${filter}\\b`) });
}

/** A request to the public task API, `/api/{userId}/tasks` or `/api/{userId}/tasks/{taskId}`. */
export function isTasksRequest(request: Request, method?: string): boolean {
  const { pathname } = new URL(request.url());
  return /^\/api\/[^/]+\/tasks(\/[^/]+)?$/.test(pathname) && (method === undefined || request.method() === method);
}

/** Glob for page.route(): the task API (list and single task), not /api/auth/*. */
export const TASKS_API = /\/api\/(?!auth\/)[^/]+\/tasks(\/[^/?]+)?(\?.*)?$/;

/** The page's own alerts: Next's route announcer (role="alert", it reads the new title after a navigation) excluded. */
export function visibleAlerts(page: Page): Locator {
  return page.getByRole("alert").and(page.locator(":not(#__next-route-announcer__)")).filter({ hasText: /\S/ });
}

/** The error banner: an alert with a Retry button. */
export function errorBanner(page: Page): Locator {
  return visibleAlerts(page).filter({ has: page.getByRole("button", { name: "Retry" }) });
}

/** A second, independent browser session (its own cookies), closed with `close()`. */
export async function newSession(browser: Browser): Promise<{ page: Page; close: () => Promise<void> }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  return { page, close: () => context.close() };
}

/** Decodes a JWT's payload (no verification: the tests only read claims). */
export function jwtPayload(token: string): Record<string, unknown> {
  const payload = token.split(".")[1] ?? "";
  return JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
}

/** The token with its payload replaced: the signature no longer matches, so the server refuses it too. */
export function withPayload(token: string, payload: Record<string, unknown>): string {
  const [header, , signature] = token.split(".");
  return `${header}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.${signature}`;
}

export function bearerOf(request: Request): string | undefined {
  return request.headers().authorization?.match(/^Bearer (.+)$/i)?.[1];
}
