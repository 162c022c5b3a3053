import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { addTask, expect, isTasksRequest, signUp, taskCheckbox, test } from "./support";

/** Runs axe (WCAG 2.x A/AA and best practices) and fails on serious or critical violations, listing them. */
async function expectNoSeriousViolations(page: Page, name: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
  const report = serious
    .map(
      (violation) =>
        `[${violation.impact}] ${violation.id}: ${violation.help} (${violation.helpUrl})\n` +
        violation.nodes.map((node) => `    ${node.target.join(" ")}\n      ${node.failureSummary ?? ""}`).join("\n"),
    )
    .join("\n");
  if (violations.length > serious.length) {
    const minor = violations.filter((violation) => !serious.includes(violation));
    console.log(`${name}: ${minor.map((violation) => `${violation.id} (${violation.impact})`).join(", ")}`);
  }
  expect(serious, `${name}: serious or critical axe violations\n${report}`).toEqual([]);
}

test.describe("accessibility (axe: no serious or critical violations)", () => {
  test("landing, sign-in and sign-up", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByRole("link", { name: "Sign up" }).first()).toBeVisible();
    await expectNoSeriousViolations(page, "landing");

    await page.goto("/sign-in");
    await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
    await expectNoSeriousViolations(page, "sign-in");

    await page.goto("/sign-up");
    await expect(page.getByRole("button", { name: "Sign up" })).toBeVisible();
    await expectNoSeriousViolations(page, "sign-up");
  });

  test("tasks, empty and with tasks, light and dark", async ({ page }) => {
    await signUp(page);
    await expect(page.getByText("No tasks yet")).toBeVisible();
    await expectNoSeriousViolations(page, "tasks (empty)");

    await addTask(page, "Water the plants", "The ones on the balcony");
    await addTask(page, "Pay the rent");
    const saved = page.waitForResponse((response) => isTasksRequest(response.request(), "PATCH") && response.ok());
    await taskCheckbox(page, "Pay the rent").check();
    await saved;
    await expectNoSeriousViolations(page, "tasks (with tasks)");

    // Dark mode is another palette: its contrast is checked too.
    await page.emulateMedia({ colorScheme: "dark" });
    await expectNoSeriousViolations(page, "tasks (with tasks, dark)");
  });
});
