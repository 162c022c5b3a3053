import type { Request } from "@playwright/test";
import { addTask, allTaskCheckboxes, expect, isTasksRequest, signUp, test } from "./support";

test("a title over 500 characters is refused in the form, with no request sent", async ({ page }) => {
  await signUp(page);
  await addTask(page, "A short one");

  const posts: Request[] = [];
  page.on("request", (request) => {
    if (isTasksRequest(request, "POST")) posts.push(request);
  });

  const title = page.getByLabel("Title", { exact: true });
  await title.fill("x".repeat(501));
  await title.press("Enter");
  await page.getByRole("button", { name: "Add task" }).click();

  // An error names the problem and is tied to the field.
  await expect(page.getByText(/500 characters/)).toBeVisible();
  await expect(title).toHaveAttribute("aria-invalid", "true");
  await expect(allTaskCheckboxes(page)).toHaveCount(1);

  // Give a request that should not exist the time to appear.
  await page.waitForTimeout(1_000);
  expect(posts.map((request) => request.url())).toEqual([]);

  // Exactly 500 is allowed.
  await addTask(page, "y".repeat(500));
  await expect(allTaskCheckboxes(page)).toHaveCount(2);
});
