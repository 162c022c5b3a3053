import { addTask, allTaskCheckboxes, expect, isTasksRequest, newSession, signUp, taskCheckbox, test } from "./support";

test("a second user in another browser sees none of the first user's tasks", async ({ page, browser }) => {
  await signUp(page);
  await addTask(page, "Ada's secret plan");
  await addTask(page, "Ada's shopping");

  const second = await newSession(browser);
  try {
    const listed = second.page.waitForResponse((response) => isTasksRequest(response.request(), "GET"));
    await signUp(second.page);
    expect(await (await listed).json()).toEqual([]);
    await expect(second.page.getByText("No tasks yet")).toBeVisible();
    await expect(allTaskCheckboxes(second.page)).toHaveCount(0);
    await expect(second.page.getByText("Ada's")).toHaveCount(0);

    // The second user's own task does not show up for the first user either.
    await addTask(second.page, "Grace's task");
    await page.reload();
    await expect(allTaskCheckboxes(page)).toHaveCount(2);
    await expect(taskCheckbox(page, "Grace's task")).toHaveCount(0);
  } finally {
    await second.close();
  }
});
