import { addTask, expect, isTasksRequest, newUser, signUp, test, tickTask } from "./support";

test("screenshots of the task list at 375 and 1280 px, light and dark", async ({ page }) => {
  await signUp(page, newUser("Ada Lovelace"));
  await addTask(page, "Buy milk", "Oat, two litres");
  await addTask(page, "Write the quarterly report for the board, with the numbers from all three regions");
  await addTask(page, "Call the plumber about the kitchen sink");
  const saved = page.waitForResponse((response) => isTasksRequest(response.request(), "PATCH") && response.ok());
  await tickTask(page, "Buy milk");
  await saved;

  for (const width of [375, 1280]) {
    for (const colorScheme of ["light", "dark"] as const) {
      await page.setViewportSize({ width, height: width === 375 ? 812 : 800 });
      await page.emulateMedia({ colorScheme });
      // Nothing wider than the screen: no horizontal scrolling.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `horizontal overflow at ${width} px (${colorScheme})`).toBeLessThanOrEqual(0);
      await page.screenshot({
        path: `test-results/screenshots/tasks-${width}-${colorScheme}.png`,
        fullPage: true,
        animations: "disabled",
      });
    }
  }
});
