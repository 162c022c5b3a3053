import type { Locator, Page } from "@playwright/test";
import { newList, quickAdd, sidebar, sidebarLink } from "./organise-support";
import { expect, newSession, signUp, taskCheckbox, taskItem, test } from "./support";

/** Drags with the pointer, in small steps, as a person does (the drag starts after a few pixels). */
async function drag(page: Page, handle: Locator, target: Locator) {
  const from = await handle.boundingBox();
  const to = await target.boundingBox();
  if (!from || !to) throw new Error("nothing to drag, or nowhere to drop");
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2 + 8, { steps: 4 });
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 12 });
  await page.mouse.up();
}

const titles = (page: Page) => page.getByRole("main").getByRole("checkbox");

test("organise a week: lists, quick add, Today, drag to a list, reorder, rename a tag, delete a list into the Inbox; another user sees none of it", async ({
  page,
  browser,
}) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await signUp(page);
  await newList(page, "Home");
  await newList(page, "Work");

  // Quick add shows what it understood before saving, and sends it as fields.
  await page.getByLabel("Title", { exact: true }).fill("Pay rent tomorrow 9am #Home !high @bills");
  const understood = page.getByRole("list", { name: "Understood" });
  await expect(understood.getByRole("listitem")).toHaveCount(4);
  for (const chip of ["#Home", "High priority", "@bills"]) await expect(understood).toContainText(chip);
  const rent = await quickAdd(page, "Pay rent tomorrow 9am #Home !high @bills");
  expect(rent).toMatchObject({ title: "Pay rent", due_time: "09:00", priority: "high", tags: ["bills"] });
  expect(rent.list_id).toEqual(expect.any(String));
  await expect(taskItem(page, "Pay rent")).toContainText("Tomorrow");

  // A chip removed keeps its text in the title.
  await page.getByLabel("Title", { exact: true }).fill("Read chapter today @books");
  await understood.getByRole("button", { name: /^Remove tag/ }).click();
  await expect(understood.getByRole("listitem")).toHaveCount(1);
  const read = await quickAdd(page, await page.getByLabel("Title", { exact: true }).inputValue());
  expect(read).toMatchObject({ title: "Read chapter @books", tags: [] });

  await quickAdd(page, "Email Sam today #Work @email");
  await quickAdd(page, "Water plants today @home");
  await quickAdd(page, "Book dentist in 3 days !medium");
  await quickAdd(page, "Plan the trip in 5 days #Work !low @travel");

  // Today: what is due today, in the address; completing one takes it off.
  await sidebarLink(page, "Today").click();
  await expect(page).toHaveURL(/\/tasks\?view=today$/);
  await expect(page.getByRole("heading", { name: "Today", level: 1 })).toBeVisible();
  await expect(titles(page)).toHaveCount(3);
  await expect(taskCheckbox(page, "Pay rent")).toHaveCount(0);
  await taskCheckbox(page, "Water plants").click();
  await expect(taskCheckbox(page, "Water plants")).toHaveCount(0);
  await expect(sidebarLink(page, "Today")).toHaveAccessibleName(/2 tasks/);
  await page.reload();
  await expect(page.getByRole("heading", { name: "Today", level: 1 })).toBeVisible();
  await expect(titles(page)).toHaveCount(2);

  // Drag a task from All tasks onto the list Work in the sidebar.
  await sidebarLink(page, "All tasks").click();
  await expect(page.getByRole("heading", { name: "Tasks", level: 1 })).toBeVisible();
  const moved = page.waitForResponse((r) => /\/tasks\/[^/]+\/move$/.test(new URL(r.url()).pathname));
  await drag(page, page.getByRole("button", { name: "Move Book dentist" }), sidebarLink(page, "Work"));
  expect((await moved).status()).toBe(200);
  await sidebarLink(page, "Work").click();
  await expect(page.getByRole("heading", { name: "Work", level: 1 })).toBeVisible();
  await expect(titles(page)).toHaveCount(3);

  // Reorder by keyboard: pick the first task up, move it down one place, drop it; the order holds after a reload.
  const before = await titles(page).evaluateAll((boxes) => boxes.map((box) => box.getAttribute("aria-label")));
  expect(before).toHaveLength(3);
  const first = before[0] ?? "";
  await page.getByRole("button", { name: `Move ${first}` }).focus();
  // Each key when the page has answered the last one, as a screen reader user hears it.
  const announced = page.getByRole("status").filter({ hasText: first });
  await page.keyboard.press("Space");
  await expect(announced).toHaveText(new RegExp(`^(Picked up ${first}|${first} is over ${first})\\.$`));
  await page.keyboard.press("ArrowDown");
  await expect(announced).toHaveText(`${first} is over ${before[1]}.`);
  const reordered = page.waitForResponse((r) => /\/tasks\/[^/]+\/move$/.test(new URL(r.url()).pathname));
  await page.keyboard.press("Space");
  expect((await reordered).status()).toBe(200);
  const after = [before[1], before[0], ...before.slice(2)];
  const order = () => titles(page).evaluateAll((boxes) => boxes.map((box) => box.getAttribute("aria-label")));
  await expect.poll(order).toEqual(after);
  await page.reload();
  await expect(titles(page)).toHaveCount(after.length);
  await expect.poll(order).toEqual(after);

  // Rename a tag: every task with it shows the new name.
  await sidebar(page).getByRole("button", { name: "Actions for tag bills" }).click();
  await page.getByRole("menuitem", { name: "Rename" }).click();
  const renamed = sidebar(page).getByLabel("Rename tag bills");
  await renamed.fill("money");
  await renamed.press("Enter");
  await expect(sidebarLink(page, "money")).toBeVisible();
  await sidebarLink(page, "All tasks").click();
  await expect(taskItem(page, "Pay rent")).toContainText("money");

  // Delete a list, keeping its task in the Inbox.
  await sidebar(page).getByRole("button", { name: "Actions for list Home" }).click();
  await page.getByRole("menuitem", { name: "Delete" }).click();
  await page.getByRole("button", { name: "Move 1 task to Inbox" }).click();
  await expect(sidebarLink(page, "Home")).toHaveCount(0);
  await sidebarLink(page, "Inbox").click();
  await expect(taskCheckbox(page, "Pay rent")).toBeVisible();

  // The details panel edits every field; the keyboard shortcuts and their help sheet work.
  await taskItem(page, "Pay rent").getByRole("button", { name: "Details" }).click();
  const panel = page.getByRole("dialog", { name: "Task details" });
  await panel.getByLabel("List").selectOption({ label: "Work" });
  await panel.getByText("Low", { exact: true }).click();
  await expect(panel.getByRole("radio", { name: "Low" })).toBeChecked();
  await panel.getByRole("button", { name: "Save" }).click();
  await expect(taskCheckbox(page, "Pay rent")).toHaveCount(0);
  await page.keyboard.press("?");
  await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toBeVisible();
  await page.keyboard.press("Escape");
  await page.keyboard.press("g");
  await page.keyboard.press("t");
  await expect(page).toHaveURL(/view=today/);

  // Another person sees none of it.
  const other = await newSession(browser);
  try {
    await signUp(other.page);
    await expect(sidebar(other.page).getByText("No lists yet.")).toBeVisible();
    await expect(other.page.getByRole("main").getByRole("checkbox")).toHaveCount(0);
    for (const name of ["money", "email", "Work"]) await expect(sidebarLink(other.page, name)).toHaveCount(0);
  } finally {
    await other.close();
  }
});
