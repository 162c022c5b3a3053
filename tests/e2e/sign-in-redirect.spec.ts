import { expect, newSession, signUp, submitSignIn, test } from "./support";

test("a signed-out visit to /tasks goes to sign-in and comes back after signing in", async ({ page, browser }) => {
  const user = await newSession(browser).then(async (session) => {
    try {
      return await signUp(session.page);
    } finally {
      await session.close();
    }
  });

  await page.goto("/tasks");
  await expect(page).toHaveURL(/\/sign-in\?next=(\/|%2F)tasks$/);
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();

  await submitSignIn(page, user, false);
  await expect(page).toHaveURL(/\/tasks$/);
  await expect(page.getByRole("heading", { name: "Tasks", exact: true })).toBeVisible();

  // Signed in, the sign-in and sign-up pages send the user back to the tasks.
  await page.goto("/sign-in");
  await expect(page).toHaveURL(/\/tasks$/);
  await page.goto("/sign-up");
  await expect(page).toHaveURL(/\/tasks$/);
});

test("signing in from a link whose next path resolves to another host lands on the tasks, not there", async ({
  page,
  browser,
}) => {
  const user = await newSession(browser).then(async (session) => {
    try {
      return await signUp(session.page);
    } finally {
      await session.close();
    }
  });
  await page.goto(`/sign-in?next=/..//evil.example`);
  await submitSignIn(page, user, false);
  await expect(page).toHaveURL(/^http:\/\/localhost:\d+\/tasks$/);
  // The same from fresh browsers, for the percent-encoded spellings.
  for (const next of ["/.%2F%2Fevil.example", "/./%2Fevil.example"]) {
    const session = await newSession(browser);
    try {
      await session.page.goto(`/sign-in?next=${next}`);
      await submitSignIn(session.page, user, false);
      await expect(session.page).toHaveURL(/^http:\/\/localhost:\d+\/tasks$/);
    } finally {
      await session.close();
    }
  }
});
