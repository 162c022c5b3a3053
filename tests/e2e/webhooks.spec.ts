import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expectNoSeriousViolations } from "./axe-support";
import { addTask, expect, newUser, signUp, test } from "./support";

/** A receiver on loopback (the e2e server allows it: WEBHOOK_ALLOW_LOOPBACK): /ok answers 200, anything else 500. */
async function startReceiver(): Promise<{ server: Server; base: string; bodies: string[] }> {
  const bodies: string[] = [];
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => {
      bodies.push(body);
      response.writeHead(request.url === "/ok" ? 200 : 500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, bodies };
}

test("webhooks on the settings page: add one, copy its secret once, see its deliveries; a failing one is disabled with the reason and re-enabled", async ({
  page,
}) => {
  const receiver = await startReceiver();
  try {
    await signUp(page, newUser("Grace Hopper"));
    await page.goto("/settings");
    const section = page.getByRole("region", { name: "Webhooks" });
    await expect(section.getByText("No endpoints yet.")).toBeVisible();

    await section.getByLabel("Endpoint URL").fill(`${receiver.base}/ok`);
    await section.getByLabel("Description").fill("Home Assistant");
    await section.getByLabel("Only the ones I choose").check();
    await section.getByLabel(/Task deleted/).check();
    await section.getByRole("button", { name: "Add endpoint" }).click();
    const secret = section.getByLabel("Signing secret");
    await expect(secret).toHaveValue(/^whsec_/);
    await expectNoSeriousViolations(page, "settings, a new secret shown");
    await page.screenshot({ path: "test-results/screenshots/webhooks-secret-1280-light.png", fullPage: true });
    await section.getByRole("button", { name: "Done" }).click();
    await expect(secret).toHaveCount(0);
    const endpoints = section.getByRole("list", { name: "Webhook endpoints" });
    await expect(endpoints.getByText("Task created or changed, Task deleted")).toBeVisible();

    await section.getByLabel("Endpoint URL").fill(`${receiver.base}/fail`);
    await section.getByLabel("All events").check();
    await section.getByRole("button", { name: "Add endpoint" }).click();
    await section.getByRole("button", { name: "Done" }).click();

    await page.goto("/tasks");
    await addTask(page, "Renew the passport");
    await expect.poll(() => receiver.bodies.length).toBeGreaterThanOrEqual(2);

    await page.goto("/settings");
    const card = (path: string) => endpoints.getByRole("listitem", { name: `${receiver.base}${path}`, exact: true });
    const [working, failing] = [card("/ok"), card("/fail")];
    await working.getByRole("button", { name: "Recent deliveries" }).click();
    const delivered = working.getByRole("listitem").filter({ hasText: "task.upserted" });
    await expect(delivered).toContainText("Delivered");
    await expect(delivered).toContainText("HTTP 200 · 1 attempt");

    // The e2e server's retry window is 2 s: the failing endpoint is soon disabled, and says why.
    await expect(async () => {
      await page.reload();
      await expect(failing.getByText("Turned off after repeated failures")).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 30_000 });
    await expect(failing).toContainText("the endpoint answered 500");
    await expect(failing.getByText("Disabled", { exact: true })).toBeVisible();
    await failing.getByRole("button", { name: "Recent deliveries" }).click();
    await expect(failing.getByRole("listitem").filter({ hasText: "task.upserted" })).toContainText("Failed");

    for (const width of [375, 1280]) {
      for (const colorScheme of ["light", "dark"] as const) {
        await page.setViewportSize({ width, height: 900 });
        await page.emulateMedia({ colorScheme });
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `horizontal overflow at ${width} px (${colorScheme})`).toBeLessThanOrEqual(0);
        if (width === 1280) await expectNoSeriousViolations(page, `settings, webhooks (${colorScheme})`);
        await page.screenshot({
          path: `test-results/screenshots/webhooks-${width}-${colorScheme}.png`,
          fullPage: true,
          animations: "disabled",
        });
      }
    }

    await failing.getByRole("button", { name: "Re-enable" }).click();
    await expect(failing.getByText("Active", { exact: true })).toBeVisible();
    await expect(failing.getByText("Turned off after repeated failures")).toHaveCount(0);

    await working.getByRole("button", { name: "Roll secret" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Roll secret" }).click();
    await expect(section.getByLabel("Signing secret")).toHaveValue(/^whsec_/);
    await section.getByRole("button", { name: "Done" }).click();

    await working.getByRole("button", { name: "Delete" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Delete endpoint" }).click();
    await expect(working).toHaveCount(0);
    await expect(failing).toHaveCount(1);
  } finally {
    receiver.server.close();
  }
});
