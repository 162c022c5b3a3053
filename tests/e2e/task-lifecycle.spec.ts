import type { Request } from "@playwright/test";
import {
  addTask,
  allTaskCheckboxes,
  expect,
  filterButton,
  isTasksRequest,
  signIn,
  signOut,
  signUp,
  taskCheckbox,
  taskItem,
  test,
  tickTask,
} from "./support";

test("a user's tasks: add, complete, filter, edit, delete with undo, and they survive reload and sign-in", async ({
  page,
}) => {
  // The longest journey (with a real 5 s undo window): three times the usual timeout on a busy machine.
  test.slow();
  const deletes: Request[] = [];
  page.on("request", (request) => {
    if (isTasksRequest(request, "DELETE")) deletes.push(request);
  });

  const user = await signUp(page);
  await expect(page.getByText("No tasks yet")).toBeVisible();

  await test.step("add three tasks", async () => {
    await addTask(page, "Buy milk");
    await addTask(page, "Write report", "Quarterly numbers");
    await addTask(page, "Call the plumber");
    await expect(allTaskCheckboxes(page)).toHaveCount(3);
    await expect(page.getByText("No tasks yet")).toBeHidden();
    // The form is ready for the next task.
    await expect(page.getByLabel("Title", { exact: true })).toHaveValue("");
  });

  await test.step("complete one", async () => {
    const saved = page.waitForResponse((response) => isTasksRequest(response.request()) && response.ok());
    await tickTask(page, "Buy milk");
    await saved;
    await expect(taskCheckbox(page, "Buy milk")).toBeChecked();
    await expect(taskCheckbox(page, "Write report")).not.toBeChecked();
  });

  await test.step("filter Active and Completed", async () => {
    await expect(filterButton(page, "All")).toHaveAccessibleName(/All \(3\)/);
    await expect(filterButton(page, "Active")).toHaveAccessibleName(/Active \(2\)/);
    await expect(filterButton(page, "Completed")).toHaveAccessibleName(/Completed \(1\)/);

    await filterButton(page, "Active").click();
    await expect(allTaskCheckboxes(page)).toHaveCount(2);
    await expect(taskCheckbox(page, "Write report")).toBeVisible();
    await expect(taskCheckbox(page, "Call the plumber")).toBeVisible();
    await expect(taskCheckbox(page, "Buy milk")).toHaveCount(0);

    await filterButton(page, "Completed").click();
    await expect(allTaskCheckboxes(page)).toHaveCount(1);
    await expect(taskCheckbox(page, "Buy milk")).toBeChecked();

    await filterButton(page, "All").click();
    await expect(allTaskCheckboxes(page)).toHaveCount(3);
  });

  await test.step("edit one: Escape and Cancel discard, Save keeps", async () => {
    const editTitle = page.getByLabel("Edit title");
    await taskItem(page, "Write report").getByRole("button", { name: "Edit" }).click();
    await expect(editTitle).toHaveValue("Write report");
    await editTitle.fill("Something else");
    await editTitle.press("Escape");
    await expect(editTitle).toBeHidden();
    await expect(taskCheckbox(page, "Write report")).toBeVisible();

    await taskItem(page, "Write report").getByRole("button", { name: "Edit" }).click();
    await editTitle.fill("Something else");
    await page.getByRole("button", { name: "Cancel" }).click();
    await expect(editTitle).toBeHidden();
    await expect(taskCheckbox(page, "Write report")).toBeVisible();
    await expect(taskCheckbox(page, "Something else")).toHaveCount(0);

    await taskItem(page, "Write report").getByRole("button", { name: "Edit" }).click();
    await editTitle.fill("Write the annual report");
    const saved = page.waitForResponse((response) => isTasksRequest(response.request()) && response.ok());
    await page.getByRole("button", { name: "Save" }).click();
    await saved;
    await expect(taskCheckbox(page, "Write the annual report")).toBeVisible();
    await expect(taskCheckbox(page, "Write report")).toHaveCount(0);
    // The description was kept.
    await expect(taskItem(page, "Write the annual report")).toContainText("Quarterly numbers");
  });

  await test.step("delete one and undo", async () => {
    await taskItem(page, "Call the plumber").getByRole("button", { name: "Delete" }).click();
    await expect(taskCheckbox(page, "Call the plumber")).toHaveCount(0);
    await expect(page.getByText("Task deleted")).toBeVisible();
    await page.getByRole("button", { name: "Undo" }).click();
    await expect(taskCheckbox(page, "Call the plumber")).toBeVisible();
    await expect(page.getByText("Task deleted")).toBeHidden();
  });

  await test.step("delete another and let the undo window pass", async () => {
    const deleted = page.waitForResponse((response) => isTasksRequest(response.request(), "DELETE"), {
      timeout: 15_000,
    });
    await taskItem(page, "Buy milk").getByRole("button", { name: "Delete" }).click();
    await expect(taskCheckbox(page, "Buy milk")).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Undo" })).toBeVisible();
    expect((await deleted).status()).toBe(204);
    await expect(page.getByRole("button", { name: "Undo" })).toBeHidden();
    // Only the task let go was deleted on the server: the undone one never was.
    expect(deletes).toHaveLength(1);
  });

  const expectFinalState = async () => {
    await expect(allTaskCheckboxes(page)).toHaveCount(2);
    await expect(taskCheckbox(page, "Write the annual report")).not.toBeChecked();
    await expect(taskCheckbox(page, "Call the plumber")).not.toBeChecked();
    await expect(filterButton(page, "All")).toHaveAccessibleName(/All \(2\)/);
    await expect(filterButton(page, "Active")).toHaveAccessibleName(/Active \(2\)/);
    await expect(filterButton(page, "Completed")).toHaveAccessibleName(/Completed \(0\)/);
    await filterButton(page, "Completed").click();
    await expect(page.getByText("Nothing completed")).toBeVisible();
    await filterButton(page, "All").click();
  };

  await test.step("reload: the same state", async () => {
    await page.reload();
    await expectFinalState();
  });

  await test.step("sign out, sign in again: the same tasks", async () => {
    await signOut(page);
    await signIn(page, user);
    await expectFinalState();
  });
});
