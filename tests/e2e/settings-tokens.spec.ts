import { expect, newUser, signUp, test } from "./support";

test("a token made in the settings page works against the API, is shown once, and stops working when revoked", async ({
  page,
  playwright,
}) => {
  await signUp(page, newUser("Grace Hopper"));
  const { user } = (await (await page.request.get("/api/auth/get-session")).json()) as { user: { id: string } };
  await page.goto("/settings");
  const section = page.getByRole("region", { name: "Personal access tokens" });
  await expect(section.getByText("No tokens yet.")).toBeVisible();

  await section.getByLabel("Name").fill("Nightly backup");
  await section.getByRole("radio", { name: /Read only/ }).check();
  await section.getByLabel("Expiration").selectOption("90");
  await section.getByRole("button", { name: "Create token" }).click();

  const secretField = section.getByLabel("Your new token");
  await expect(secretField).toBeFocused();
  const secret = await secretField.inputValue();
  expect(secret).toMatch(/^tsk_pat_[A-Za-z0-9_-]{49}$/);
  await expect(section.getByText("Copy it now: you won’t see it again.")).toBeVisible();
  await page.emulateMedia({ colorScheme: "light" });
  await section.screenshot({
    path: "test-results/screenshots/settings-tokens-secret-light.png",
    animations: "disabled",
  });

  // A script with nothing but the token: no cookie, no session.
  const script = await playwright.request.newContext({ baseURL: page.url() });
  const auth = { Authorization: `Bearer ${secret}` };
  const read = await script.get(`/api/${user.id}/tasks`, { headers: auth });
  expect(read.status()).toBe(200);
  const write = await script.post(`/api/${user.id}/tasks`, { headers: auth, data: { title: "From cron" } });
  expect(write.status()).toBe(403);
  expect(((await write.json()) as { error: string }).error).toBe("insufficient_scope");

  await section.getByRole("button", { name: "Done" }).click();
  await expect(secretField).toHaveCount(0);
  await page.reload();
  const row = section.getByRole("list", { name: "Your tokens" }).getByRole("listitem");
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("Nightly backup");
  await expect(row).toContainText("Read only");
  await expect(row).toContainText("Last used");
  await expect(row).not.toContainText(secret.slice(8, -4));
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    await page.screenshot({
      path: `test-results/screenshots/settings-tokens-${colorScheme}.png`,
      fullPage: true,
      animations: "disabled",
    });
  }
  await page.emulateMedia({ colorScheme: "light" });

  await row.getByRole("button", { name: "Revoke Nightly backup" }).click();
  const dialog = page.getByRole("dialog", { name: "Revoke “Nightly backup”?" });
  await expect(dialog).toContainText("stops working at once");
  await dialog.getByRole("button", { name: "Revoke token" }).click();
  await expect(dialog).toBeHidden();
  await expect(section.getByText("No tokens yet.")).toBeVisible();

  const refused = await script.get(`/api/${user.id}/tasks`, { headers: auth });
  expect(refused.status()).toBe(401);
  expect(refused.headers()["www-authenticate"]).toContain("revoked");
  await script.dispose();
});
