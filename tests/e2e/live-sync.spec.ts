import type { Page } from "@playwright/test";
import { taskApi } from "./paging-support";
import {
  addTask,
  expect,
  filterButton,
  isTasksRequest,
  newSession,
  signIn,
  signUp,
  TASKS_API,
  taskCheckbox,
  taskItem,
  test,
  tickTask,
  visibleAlerts,
} from "./support";

// Issue 9: a change made elsewhere shows within a second, without a reload. Those bounds are the issue's; everything
// else waits as long as the other specs do.
const WITHIN_A_SECOND = { timeout: 1_000 };

const reconnecting = (page: Page) => page.getByRole("status").filter({ hasText: "Reconnecting…" });

test("two windows of one user: a task added, completed, edited or deleted in one shows in the other", async ({
  page,
  browser,
}) => {
  // Two browsers and a real undo window on a busy machine.
  test.slow();
  const user = await signUp(page);
  const other = await newSession(browser);
  try {
    await signIn(other.page, user);

    await test.step("added here, shown there", async () => {
      await addTask(page, "Buy milk");
      await expect(taskCheckbox(other.page, "Buy milk")).toBeVisible(WITHIN_A_SECOND);
      await expect(filterButton(other.page, "All")).toHaveAccessibleName(/All \(1\)/);
    });

    await test.step("completed there, ticked here", async () => {
      const saved = other.page.waitForResponse((response) => isTasksRequest(response.request(), "PATCH"));
      await tickTask(other.page, "Buy milk");
      expect((await saved).ok()).toBe(true);
      await expect(taskCheckbox(page, "Buy milk")).toBeChecked(WITHIN_A_SECOND);
      await expect(filterButton(page, "Completed")).toHaveAccessibleName(/Completed \(1\)/);
      await expect(filterButton(page, "Active")).toHaveAccessibleName(/Active \(0\)/);
    });

    await test.step("edited here, renamed there", async () => {
      await taskItem(page, "Buy milk").getByRole("button", { name: "Edit" }).click();
      await page.getByLabel("Edit title").fill("Buy oat milk");
      const saved = page.waitForResponse((response) => isTasksRequest(response.request(), "PATCH"));
      await page.getByRole("button", { name: "Save" }).click();
      expect((await saved).ok()).toBe(true);
      await expect(taskCheckbox(other.page, "Buy oat milk")).toBeVisible(WITHIN_A_SECOND);
      await expect(taskCheckbox(other.page, "Buy milk")).toHaveCount(0);
    });

    await test.step("added there, shown here", async () => {
      await addTask(other.page, "Call the plumber");
      await expect(taskCheckbox(page, "Call the plumber")).toBeVisible(WITHIN_A_SECOND);
      await expect(filterButton(page, "All")).toHaveAccessibleName(/All \(2\)/);
    });

    await test.step("deleted there (once its undo window is over), gone here", async () => {
      const deleted = other.page.waitForResponse((response) => isTasksRequest(response.request(), "DELETE"));
      await taskItem(other.page, "Buy oat milk").getByRole("button", { name: "Delete" }).click();
      expect((await deleted).status()).toBe(204);
      await expect(taskCheckbox(page, "Buy oat milk")).toHaveCount(0, WITHIN_A_SECOND);
      await expect(filterButton(page, "All")).toHaveAccessibleName(/All \(1\)/);
    });

    await expect(visibleAlerts(page)).toHaveCount(0);
    await expect(visibleAlerts(other.page)).toHaveCount(0);
  } finally {
    await other.close();
  }
});

test("a task being edited keeps the user's text when it changes elsewhere, and the save is refused as out of date", async ({
  page,
}) => {
  await signUp(page);
  const api = await taskApi(page);
  const report = await api.create({ title: "Write report" });
  await expect(taskCheckbox(page, "Write report")).toBeVisible();
  await taskItem(page, "Write report").getByRole("button", { name: "Edit" }).click();
  await page.getByLabel("Edit title").fill("Write the quarterly report");

  await api.patch(report.id, { title: "Write the annual report", completed: true });
  // The change has arrived (the row's checkbox shows it) while the form is open, and left the user's text alone.
  await expect(taskCheckbox(page, "Write the annual report")).toBeChecked();
  await expect(page.getByLabel("Edit title")).toHaveValue("Write the quarterly report");

  const saved = page.waitForResponse((response) => isTasksRequest(response.request(), "PATCH"));
  await page.getByRole("button", { name: "Save" }).click();
  // Saved over a version the user never saw, the other change would be lost without a word: a 412 instead.
  expect((await saved).status()).toBe(412);
  await expect(visibleAlerts(page)).toContainText("changed elsewhere");
  await expect(taskCheckbox(page, "Write the annual report")).toBeVisible();
});

test("a task deleted through the API disappears from the open page", async ({ page }) => {
  await signUp(page);
  await addTask(page, "Keep this");
  await addTask(page, "Delete me from a script");
  const api = await taskApi(page);
  const doomed = await api.create({ title: "Created by a script" });
  await expect(taskCheckbox(page, "Created by a script")).toBeVisible(WITHIN_A_SECOND);

  await api.remove(doomed.id);
  await expect(taskCheckbox(page, "Created by a script")).toHaveCount(0, WITHIN_A_SECOND);
  await expect(taskCheckbox(page, "Keep this")).toBeVisible();
  await expect(filterButton(page, "All")).toHaveAccessibleName(/All \(2\)/);
});

/**
 * Lets the test cut the page's open event streams, as a dropped connection would: Chromium's offline emulation fails
 * new requests but leaves a response already streaming alone. Before the page loads.
 */
async function cuttableEventStreams(page: Page): Promise<() => Promise<void>> {
  await page.addInitScript(() => {
    const open = new Set<AbortController>();
    const fetch = window.fetch.bind(window);
    window.fetch = (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (!/\/api\/[^/]+\/events/.test(url)) return fetch(input, init);
      const cut = new AbortController();
      open.add(cut);
      init?.signal?.addEventListener("abort", () => cut.abort(init.signal?.reason));
      return fetch(input, { ...init, signal: cut.signal });
    };
    Object.assign(window, {
      cutEventStreams: () => {
        for (const cut of open) cut.abort(new TypeError("The connection was reset."));
        open.clear();
      },
    });
  });
  return () => page.evaluate(() => (window as unknown as { cutEventStreams: () => void }).cutEventStreams());
}

test("while the stream is cut the page says it is reconnecting, and catches up from where it was once back", async ({
  page,
}) => {
  const cutEventStreams = await cuttableEventStreams(page);
  await signUp(page);
  const api = await taskApi(page);
  const renamed = await api.create({ title: "Rename me" });
  const deleted = await api.create({ title: "Delete me" });
  await expect(taskCheckbox(page, "Delete me")).toBeVisible();
  await expect(reconnecting(page)).toHaveCount(0);

  // From here the page cannot read its lists again (as it does when back online): what it shows of the changes
  // below can only come from the stream, resuming after the last event it saw.
  await page.route(TASKS_API, (route) => (route.request().method() === "GET" ? undefined : route.continue()));
  await page.context().setOffline(true);
  await cutEventStreams();
  await expect(reconnecting(page)).toBeVisible();

  await api.patch(renamed.id, { title: "Renamed while away" });
  await api.remove(deleted.id);
  await api.create({ title: "Added while away" });
  await page.context().setOffline(false);

  await expect(reconnecting(page)).toHaveCount(0);
  await expect(taskCheckbox(page, "Renamed while away")).toBeVisible();
  await expect(taskCheckbox(page, "Added while away")).toBeVisible();
  await expect(taskCheckbox(page, "Delete me")).toHaveCount(0);
  await expect(taskCheckbox(page, "Rename me")).toHaveCount(0);
});
