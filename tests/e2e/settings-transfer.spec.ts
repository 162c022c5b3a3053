import { readFileSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { addTask, expect, signUp, taskItem, test } from "./support";

const TODOIST_CSV = [
  "TYPE,CONTENT,DESCRIPTION,PRIORITY,INDENT,AUTHOR,RESPONSIBLE,DATE,DATE_LANG,TIMEZONE",
  "task,Renew passport @errands,Photo booth first,1,1,Robin (1),,Oct 5 2026,en,Europe/Berlin",
  'task,"Pack bags, finally",,4,1,Robin (1),,every day,en,Europe/Berlin',
  "note,Bring the old one,,,,Robin (1),,,,",
].join("\r\n");

test("settings: a Todoist CSV imported through the page shows its report, and its tasks are on /tasks", async ({
  page,
}) => {
  await signUp(page);
  await page.goto("/settings");
  const section = page.getByRole("region", { name: "Import and export" });
  await expect(section).toBeVisible();

  // No file yet: the page says so, at the field.
  await section.getByRole("button", { name: "Import" }).click();
  await expect(section.getByText("Choose a file to import.")).toBeVisible();

  // A CSV that is no Todoist export: refused as a whole, with the server's reason, and nothing imported.
  await section
    .getByLabel("File")
    .setInputFiles({ name: "notes.csv", mimeType: "text/csv", buffer: Buffer.from("a,b\r\n1,2\r\n") });
  await section.getByRole("button", { name: "Import" }).click();
  const refusal = section.getByRole("alert").filter({ hasText: "Nothing was imported" });
  await expect(refusal).toContainText("not a Todoist export");
  await section.screenshot({ path: "test-results/screenshots/settings-transfer-refused.png", animations: "disabled" });
  await section
    .getByLabel("File")
    .setInputFiles({ name: "Travel.csv", mimeType: "text/csv", buffer: Buffer.from(TODOIST_CSV) });
  await section.getByLabel("List for the Todoist tasks").fill("Travel");
  await section.getByRole("button", { name: "Import" }).click();
  const report = section.getByTestId("import-report");
  await expect(report.getByText("Imported 2 tasks, 1 new list, 1 new tag")).toBeVisible();
  await expect(report.getByText("Row 4")).toBeVisible();
  await expect(report.getByText(/tasks here have no comments/)).toBeVisible();
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    await section.screenshot({
      path: `test-results/screenshots/settings-transfer-${colorScheme}.png`,
      animations: "disabled",
    });
    // axe (WCAG 2.x A/AA): no serious or critical violation in the section, report shown, in either palette.
    const { violations } = await new AxeBuilder({ page })
      .include('section[aria-labelledby="transfer-heading"]')
      .analyze();
    const serious = violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
    expect(
      serious.map((violation) => `${violation.id}: ${violation.help}`),
      colorScheme,
    ).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: "light" });

  await report.getByRole("link", { name: "See them on your tasks page" }).click();
  await expect(page).toHaveURL(/\/tasks/);
  await expect(taskItem(page, "Renew passport")).toBeVisible();
  await expect(taskItem(page, "Pack bags, finally")).toBeVisible();
});

test("settings: Download JSON saves the account as a file the import takes back", async ({ page }) => {
  await signUp(page);
  await addTask(page, "Exported task");
  await page.goto("/settings");
  const section = page.getByRole("region", { name: "Import and export" });
  const download = page.waitForEvent("download");
  await section.getByRole("button", { name: "Download JSON" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^tasks-\d{4}-\d{2}-\d{2}\.json$/);
  const document = JSON.parse(readFileSync(await file.path(), "utf8"));
  expect(document.format).toBe("taskapp-export");
  expect(document.tasks.map((task: { title: string }) => task.title)).toEqual(["Exported task"]);
  await expect(section.getByText("Your JSON export is downloaded.")).toBeVisible();

  // The same file imported again: the task twice.
  await section.getByLabel("File").setInputFiles(await file.path());
  await section.getByRole("button", { name: "Import" }).click();
  await expect(section.getByText("Imported 1 task, 0 new lists, 0 new tags")).toBeVisible();
});
