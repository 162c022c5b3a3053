import { expectNoSeriousViolations } from "./axe-support";
import { newList, quickAdd, sidebar } from "./organise-support";
import { addTask, expect, isTasksRequest, signUp, test, tickTask } from "./support";

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
    await tickTask(page, "Pay the rent");
    await saved;
    await expectNoSeriousViolations(page, "tasks (with tasks)");

    // Dark mode is another palette: its contrast is checked too.
    await page.emulateMedia({ colorScheme: "dark" });
    await expectNoSeriousViolations(page, "tasks (with tasks, dark)");
  });
});

test("organised: lists and tags in the sidebar, due dates and priorities, the details panel, the delete dialog and the drawer, light and dark, with screenshots", async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await signUp(page);
  await newList(page, "Home");
  await newList(page, "Work projects");
  await quickAdd(page, "Pay rent tomorrow 9am #Home !high @bills");
  await quickAdd(page, "Call the plumber today 18:00 !medium @home");
  await quickAdd(page, "Plan the offsite in 4 days #Work projects !low @travel");
  await quickAdd(page, "Renew the passport yesterday");
  await quickAdd(page, "Buy stamps");

  const shots: { name: string; open?: () => Promise<void> }[] = [
    { name: "organised" },
    {
      name: "details",
      open: async () => {
        await page
          .getByRole("listitem")
          .filter({ hasText: "Pay rent" })
          .getByRole("button", { name: "Details" })
          .click();
        await expect(page.getByRole("dialog", { name: "Task details" })).toBeVisible();
      },
    },
    {
      name: "delete-list",
      open: async () => {
        await sidebar(page).getByRole("button", { name: "Actions for list Home" }).click();
        await page.getByRole("menuitem", { name: "Delete" }).click();
        await expect(page.getByRole("dialog", { name: /Delete list/ })).toBeVisible();
      },
    },
  ];
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    for (const shot of shots) {
      await shot.open?.();
      await expectNoSeriousViolations(page, `${shot.name} (${colorScheme})`);
      await page.screenshot({
        path: `test-results/screenshots/${shot.name}-1280-${colorScheme}.png`,
        animations: "disabled",
      });
      if (shot.open) await page.keyboard.press("Escape");
    }
  }

  await page.setViewportSize({ width: 375, height: 812 });
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `horizontal overflow at 375 px (${colorScheme})`).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `test-results/screenshots/organised-375-${colorScheme}.png`, fullPage: true });
    await page.getByRole("button", { name: "Views, lists and tags" }).click();
    const drawer = page.getByRole("dialog", { name: "Views, lists and tags" });
    await expect(drawer.getByRole("link", { name: /^Work projects/ })).toBeVisible();
    await expectNoSeriousViolations(page, `drawer (${colorScheme})`);
    await page.screenshot({ path: `test-results/screenshots/drawer-375-${colorScheme}.png`, animations: "disabled" });
    await page.keyboard.press("Escape");
  }
});

test("settings: personal access tokens, listed and with a new secret shown, light and dark, 1280 and 375 px", async ({
  page,
}) => {
  await signUp(page);
  await page.goto("/settings");
  const section = page.getByRole("region", { name: "Personal access tokens" });
  await section.getByLabel("Name").fill("Home Assistant");
  await section.getByRole("radio", { name: /Read & write/ }).check();
  await section.getByRole("button", { name: "Create token" }).click();
  await expect(section.getByLabel("Your new token")).toBeVisible();
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: width === 375 ? 812 : 900 });
    for (const colorScheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme });
      await expectNoSeriousViolations(page, `settings tokens (${width} px, ${colorScheme})`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `horizontal overflow at ${width} px (${colorScheme})`).toBeLessThanOrEqual(0);
      await page.screenshot({
        path: `test-results/screenshots/settings-tokens-new-${width}-${colorScheme}.png`,
        fullPage: true,
        animations: "disabled",
      });
    }
  }
  await section.getByLabel("Expiration").selectOption("custom");
  await expect(section.getByLabel("Expires on")).toBeVisible();
  await expectNoSeriousViolations(page, "settings tokens, custom expiry");
});
