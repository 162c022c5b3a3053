import { addTask, allTaskCheckboxes, errorBanner, expect, signUp, TASKS_API, taskCheckbox, test } from "./support";

test("a 500 from the API shows the error banner, and Retry loads the tasks", async ({ page }) => {
  await signUp(page);
  await addTask(page, "Survives an outage");

  // The next task-list request (the one the reload makes) answers 500; the ones after it reach the server.
  let failed = 0;
  await page.route(
    TASKS_API,
    async (route) => {
      failed += 1;
      await route.fulfill({
        status: 500,
        contentType: "application/json",
        body: JSON.stringify({ error: "internal_error", detail: "Something went wrong on our side." }),
      });
    },
    { times: 1 },
  );

  await page.reload();
  const banner = errorBanner(page);
  await expect(banner).toBeVisible();
  await expect(allTaskCheckboxes(page)).toHaveCount(0);
  expect(failed).toBe(1);

  const listed = page.waitForResponse((response) => TASKS_API.test(response.url()) && response.ok());
  await banner.getByRole("button", { name: "Retry" }).click();
  await listed;
  await expect(banner).toBeHidden();
  await expect(taskCheckbox(page, "Survives an outage")).toBeVisible();
});
