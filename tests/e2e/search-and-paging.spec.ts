import { createTasks, taskApi } from "./paging-support";
import {
  allTaskCheckboxes,
  expect,
  filterButton,
  isTasksRequest,
  listLoaded,
  signUp,
  taskCheckbox,
  taskItem,
  test,
  tickTask,
  visibleAlerts,
} from "./support";

test("55 tasks: 50 at first, Load more shows the rest; search narrows the list; a stale write shows the latest version", async ({
  page,
}) => {
  test.slow();
  // This page gets no live events, so what it knows of a change made elsewhere is only what it read: its last write
  // below is then a stale one, whatever the timing (tests/e2e/live-sync.spec.ts covers the page that hears them).
  await page.route(
    (url) => /^\/api\/[^/]+\/events$/.test(url.pathname),
    (route) => route.abort(),
  );
  await signUp(page);
  await createTasks(page, "Chore", 55);
  await page.reload();
  await listLoaded(page);

  await test.step("the first page: the 50 newest, counts from the summary, and Load more", async () => {
    await expect(allTaskCheckboxes(page)).toHaveCount(50);
    await expect(allTaskCheckboxes(page).first()).toHaveAccessibleName("Chore 55");
    await expect(taskCheckbox(page, "Chore 5")).toHaveCount(0);
    await expect(filterButton(page, "All")).toHaveAccessibleName(/All \(55\)/);
    await expect(filterButton(page, "Active")).toHaveAccessibleName(/Active \(55\)/);
    await expect(filterButton(page, "Completed")).toHaveAccessibleName(/Completed \(0\)/);
  });

  await test.step("screenshots at 375 and 1280 px: the search field on top, Load more under the list", async () => {
    for (const width of [375, 1280]) {
      await page.setViewportSize({ width, height: width === 375 ? 812 : 800 });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `horizontal overflow at ${width} px`).toBeLessThanOrEqual(0);
      await page.getByLabel("Search").scrollIntoViewIfNeeded();
      await page.screenshot({ path: `test-results/screenshots/paging-${width}-search.png`, animations: "disabled" });
      await page.getByRole("button", { name: "Load more" }).scrollIntoViewIfNeeded();
      await page.screenshot({ path: `test-results/screenshots/paging-${width}-load-more.png`, animations: "disabled" });
    }
    await page.setViewportSize({ width: 1280, height: 720 });
  });

  await test.step("Load more: the last 5, then no more button, and focus on the first new task", async () => {
    const loadMore = page.getByRole("button", { name: "Load more" });
    await loadMore.click();
    await expect(allTaskCheckboxes(page)).toHaveCount(55);
    await expect(allTaskCheckboxes(page).last()).toHaveAccessibleName("Chore 1");
    await expect(loadMore).toHaveCount(0);
    await expect(taskCheckbox(page, "Chore 5")).toBeFocused();
  });

  await test.step("search sends q= and narrows the list; Escape clears it", async () => {
    const search = page.getByLabel("Search");
    await expect(search).toHaveAttribute("type", "search");
    const searched = page.waitForResponse(
      (response) =>
        isTasksRequest(response.request(), "GET") && new URL(response.url()).searchParams.get("q") === "chore 4",
    );
    await search.fill("chore 4");
    expect((await searched).ok()).toBe(true);
    // "Chore 4" and "Chore 40" … "Chore 49".
    await expect(allTaskCheckboxes(page)).toHaveCount(11);
    await expect(taskCheckbox(page, "Chore 4")).toBeVisible();
    await expect(page.getByRole("button", { name: "Load more" })).toHaveCount(0);

    await search.fill("nothing like this");
    await expect(page.getByText("No tasks match “nothing like this”")).toBeVisible();
    await expect(allTaskCheckboxes(page)).toHaveCount(0);

    await search.press("Escape");
    await expect(search).toHaveValue("");
    await expect(allTaskCheckboxes(page)).toHaveCount(50);
    await expect(page.getByRole("button", { name: "Load more" })).toBeVisible();
  });

  await test.step("a task changed elsewhere is not overwritten: the message, and the server's version", async () => {
    const api = await taskApi(page);
    const [chore] = await createTasks(page, "Shared", 1);
    if (!chore) throw new Error("no task created");
    await page.reload();
    await listLoaded(page);
    await expect(taskCheckbox(page, "Shared 1")).not.toBeChecked();

    // Another device renames and completes it; the page still shows the old version.
    await api.patch(chore.id, { title: "Shared, renamed elsewhere", completed: true });
    // click(), not check(): the refusal may put the server's version back before check() could read the new state.
    await taskCheckbox(page, "Shared 1").click();

    await expect(
      visibleAlerts(page).filter({ hasText: "This task was changed elsewhere — showing the latest version." }),
    ).toBeVisible();
    await expect(taskCheckbox(page, "Shared 1")).toHaveCount(0);
    await expect(taskCheckbox(page, "Shared, renamed elsewhere")).toBeChecked();

    // The page's change was not sent over the other one: the server still has the other device's version.
    await page.reload();
    await listLoaded(page);
    await expect(taskCheckbox(page, "Shared, renamed elsewhere")).toBeChecked();
    await expect(filterButton(page, "Completed")).toHaveAccessibleName(/Completed \(1\)/);
  });

  await test.step("a task this page wrote (it holds the ETag) and that changed elsewhere since: 412", async () => {
    const api = await taskApi(page);
    const saved = page.waitForResponse((response) => isTasksRequest(response.request(), "PATCH") && response.ok());
    await tickTask(page, "Chore 55");
    await saved;
    const taskId = await taskItem(page, "Chore 55").getAttribute("data-task-id");
    if (!taskId) throw new Error("no task id");
    await api.patch(taskId, { description: "Changed on another device" });

    const refused = page.waitForResponse((response) => isTasksRequest(response.request(), "PATCH"));
    await taskCheckbox(page, "Chore 55").click();
    const response = await refused;
    expect(response.status()).toBe(412);
    expect(response.request().headers()["if-match"]).toMatch(/^"\d+"$/);
    await expect(
      visibleAlerts(page).filter({ hasText: "This task was changed elsewhere — showing the latest version." }),
    ).toBeVisible();
    await expect(taskItem(page, "Chore 55")).toContainText("Changed on another device");
    await expect(taskCheckbox(page, "Chore 55")).toBeChecked();
  });
});
