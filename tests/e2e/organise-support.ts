import type { Page } from "@playwright/test";
import { expect, isTasksRequest } from "./support";

export const sidebar = (page: Page) => page.getByRole("navigation", { name: "Views, lists and tags" });
export const sidebarLink = (page: Page, name: string) =>
  sidebar(page).getByRole("link", { name: new RegExp(`^${name}\\b`) });

export async function newList(page: Page, name: string) {
  await sidebar(page).getByRole("button", { name: "New list" }).click();
  const field = sidebar(page).getByLabel("New list name");
  await field.fill(name);
  await field.press("Enter");
  await expect(sidebarLink(page, name)).toBeVisible();
}

/** Types a line into the add form and waits for the server to store what it was understood to say. */
export async function quickAdd(page: Page, line: string): Promise<Record<string, unknown>> {
  await page.getByLabel("Title", { exact: true }).fill(line);
  const created = page.waitForResponse((response) => isTasksRequest(response.request(), "POST"));
  await page.getByLabel("Title", { exact: true }).press("Enter");
  const response = await created;
  expect(response.status()).toBe(201);
  return (await response.json()) as Record<string, unknown>;
}
