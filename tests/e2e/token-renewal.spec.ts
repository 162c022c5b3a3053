import type { Request } from "@playwright/test";
import {
  addTask,
  bearerOf,
  expect,
  isTasksRequest,
  jwtPayload,
  signUp,
  TASKS_API,
  taskCheckbox,
  test,
  visibleAlerts,
  withPayload,
} from "./support";

/*
 * How renewal is exercised. Tokens live 15 minutes and the server checks `exp` against its own clock, which the test
 * cannot move (page.clock moves only the browser's), and the test cannot sign a token. So the first
 * GET /api/auth/token is answered with the real token whose payload says it expired a minute ago. Whatever the page's
 * strategy, it has to renew:
 * - a page that reads `exp` sees the token is stale and fetches a new one before calling the API;
 * - a page that sends it anyway gets a genuine 401 from the real server (the changed payload no longer matches the
 *   signature, exactly as the server would refuse an expired one), and must fetch a new token and retry once.
 * Either way the user must see the tasks and no error, and every request that succeeded carried a fresh token.
 */
test("an expired token is renewed without the user noticing", async ({ page }) => {
  await signUp(page);
  await addTask(page, "Still here after renewal");

  let expiredToken: string | undefined;
  let tokenRequests = 0;
  await page.route("**/api/auth/token", async (route) => {
    tokenRequests += 1;
    if (expiredToken) return route.continue();
    const response = await route.fetch();
    const { token } = (await response.json()) as { token: string };
    const now = Math.floor(Date.now() / 1000);
    expiredToken = withPayload(token, { ...jwtPayload(token), iat: now - 16 * 60, exp: now - 60 });
    await route.fulfill({ response, json: { token: expiredToken } });
  });
  const taskCalls: { request: Request; status: number }[] = [];
  page.on("response", (response) => {
    if (isTasksRequest(response.request())) taskCalls.push({ request: response.request(), status: response.status() });
  });

  // A fresh page load: the page holds its token in memory only, so it asks for one and gets the expired one.
  await page.reload();
  await expect(taskCheckbox(page, "Still here after renewal")).toBeVisible();
  // Polled: the list comes with the page, so it can be on screen before the page has asked for its token.
  await expect.poll(() => expiredToken, { message: "the page fetched a token after the reload" }).toBeDefined();
  await expect.poll(() => tokenRequests, { message: "the page fetched a second token" }).toBeGreaterThanOrEqual(2);

  // And it keeps working: the next write goes through with the renewed token.
  await addTask(page, "Added with the renewed token");
  await expect(visibleAlerts(page)).toHaveCount(0);
  await expect(page).toHaveURL(/\/tasks$/);

  for (const { request, status } of taskCalls) {
    if (bearerOf(request) === expiredToken) expect(status, "the expired token was refused").toBe(401);
    else expect(status, `${request.method()} ${request.url()}`).toBeLessThan(400);
  }
  // At most one attempt with the expired token (then one retry with a new one).
  const attempts = taskCalls.filter(({ request }) => bearerOf(request) === expiredToken).length;
  expect(attempts).toBeLessThanOrEqual(1);
  test.info().annotations.push({
    type: "renewal",
    description: attempts === 0 ? "before use (the page read exp)" : "after the server's 401, with one retry",
  });
});

/*
 * Renewal ahead of expiry. page.clock moves the browser's clock only, so the server still accepts the old token: what
 * is checked is that the page asks for a new token on its own, before the old one's 15 minutes are up, with no 401
 * needed, and that the requests after that carry it.
 */
test("the token is renewed before it expires, with no refused request", async ({ page }) => {
  await page.clock.install();
  await signUp(page);
  await addTask(page, "Before the renewal");

  const tokens: string[] = [];
  page.on("response", async (response) => {
    if (new URL(response.url()).pathname === "/api/auth/token" && response.ok()) {
      tokens.push(((await response.json()) as { token: string }).token);
    }
  });
  const refused: string[] = [];
  page.on("response", (response) => {
    if (isTasksRequest(response.request()) && response.status() === 401) refused.push(response.url());
  });

  // 14 minutes 30 seconds later: inside the last minute of the token's life.
  await page.clock.fastForward("14:30");
  await expect.poll(() => tokens.length, { message: "the page fetched a new token by itself" }).toBe(1);

  const created = page.waitForRequest((request) => isTasksRequest(request, "POST"));
  await addTask(page, "After the renewal");
  expect(bearerOf(await created)).toBe(tokens[0]);
  expect(refused).toEqual([]);
  await expect(visibleAlerts(page)).toHaveCount(0);
});

test("a 401 from the API makes the page fetch a new token and retry once", async ({ page }) => {
  await signUp(page);
  await addTask(page, "Listed after one retry");

  let tokenRequests = 0;
  page.on("request", (request) => {
    if (new URL(request.url()).pathname === "/api/auth/token") tokenRequests += 1;
  });
  const lists: Request[] = [];
  page.on("request", (request) => {
    if (isTasksRequest(request, "GET")) lists.push(request);
  });
  // The first list request is refused as the server refuses a revoked or expired token.
  await page.route(
    TASKS_API,
    (route) =>
      route.fulfill({
        status: 401,
        contentType: "application/json",
        headers: { "WWW-Authenticate": 'Bearer realm="tasks", error="invalid_token"' },
        body: JSON.stringify({ error: "invalid_token", detail: "The token has expired." }),
      }),
    { times: 1 },
  );

  await page.reload();
  await expect(taskCheckbox(page, "Listed after one retry")).toBeVisible();
  await expect(visibleAlerts(page)).toHaveCount(0);
  // Polled: the list comes with the page, so it can be on screen before the page has read it again itself.
  await expect.poll(() => lists.length).toBe(2);
  // The token fetched on load, then the renewal after the 401.
  await expect.poll(() => tokenRequests).toBe(2);
  await expect(visibleAlerts(page)).toHaveCount(0);
});

test("a 401 that persists is retried only once, not in a loop", async ({ page }) => {
  await signUp(page);

  const lists: Request[] = [];
  page.on("request", (request) => {
    if (isTasksRequest(request, "GET")) lists.push(request);
  });
  await page.route(TASKS_API, (route) =>
    route.fulfill({
      status: 401,
      contentType: "application/json",
      body: JSON.stringify({ error: "invalid_token", detail: "The token is not valid." }),
    }),
  );

  await page.reload();
  // The page gives up: an error, or the sign-in page.
  await expect(
    visibleAlerts(page)
      .or(page.getByRole("button", { name: "Sign in" }))
      .first(),
  ).toBeVisible();
  await page.waitForTimeout(2_000);
  expect(lists).toHaveLength(2);
});
