import { expect, newSession, newUser, signUp, submitSignIn, submitSignUp, test } from "./support";

test.describe("sign-up and sign-in errors", () => {
  test("a taken email and a too-short password show field errors", async ({ page, browser }) => {
    const existing = newUser("Taken");
    const first = await newSession(browser);
    try {
      await signUp(first.page, existing);
    } finally {
      await first.close();
    }

    await submitSignUp(page, { ...newUser("Someone else"), email: existing.email });
    await expect(page.getByText(/already (exists|taken|in use|registered)|taken/i)).toBeVisible();
    await expect(page).toHaveURL(/\/sign-up/);

    await submitSignUp(page, { ...newUser(), password: "short7!" });
    await expect(page.getByText(/at least 8 characters|too short/i)).toBeVisible();
    await expect(page).toHaveURL(/\/sign-up/);
    await expect(page.getByLabel("Password")).toHaveAttribute("aria-invalid", "true");
  });

  test('a wrong password shows "Wrong email or password"', async ({ page, browser }) => {
    const user = newUser();
    const first = await newSession(browser);
    try {
      await signUp(first.page, user);
    } finally {
      await first.close();
    }

    await submitSignIn(page, { email: user.email, password: "not the password" });
    await expect(page.getByText("Wrong email or password")).toBeVisible();
    await expect(page).toHaveURL(/\/sign-in/);

    // An unknown email gets the same message (no account enumeration).
    await submitSignIn(page, { email: newUser().email, password: user.password });
    await expect(page.getByText("Wrong email or password")).toBeVisible();
  });
});
