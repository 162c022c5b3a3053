import type { APIResponse, Page, Response } from "@playwright/test";
import { addTask, expect, signUp, taskCheckbox, taskItem, test, tickTask } from "./support";

type CspWindow = Window & { __cspViolations?: string[]; __pwned?: boolean };

/** The headers every response has (the production build: so HSTS too). */
const STATIC_HEADERS = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "same-origin",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
  "x-frame-options": "DENY",
  "strict-transport-security": "max-age=63072000; includeSubDomains",
};

const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * Records the page's CSP violations: each document's `securitypolicyviolation` events (the listener is in place
 * before the first script runs) and the browser's console reports of them. `take()` returns and forgets them.
 */
async function watchViolations(page: Page): Promise<{ take: () => Promise<string[]> }> {
  const reported: string[] = [];
  page.on("console", (message) => {
    const text = message.text();
    if (/^Refused to|Content Security Policy/.test(text)) reported.push(`console: ${text}`);
  });
  await page.addInitScript(() => {
    const target = window as CspWindow;
    target.__cspViolations = [];
    document.addEventListener("securitypolicyviolation", (event) => {
      target.__cspViolations?.push(
        `${event.effectiveDirective} refused ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber}`,
      );
    });
  });
  return {
    take: async () => {
      const events = await page.evaluate(() => (window as CspWindow).__cspViolations?.splice(0) ?? []);
      return [...reported.splice(0), ...events];
    },
  };
}

function expectStaticHeaders(headers: Record<string, string>, what: string): void {
  for (const [name, value] of Object.entries(STATIC_HEADERS)) expect(headers[name], `${name} of ${what}`).toBe(value);
  expect(headers["permissions-policy"], `permissions-policy of ${what}`).toMatch(/camera=\(\).*microphone=\(\)/);
}

/** The single CSP of a response (two headers would both be enforced). */
async function onlyCsp(response: Response | APIResponse): Promise<string> {
  const policies = (await response.headersArray())
    .filter(({ name }) => name.toLowerCase() === "content-security-policy")
    .map(({ value }) => value);
  expect(policies, `CSP headers of ${response.url()}`).toHaveLength(1);
  return policies[0] ?? "";
}

function nonceOf(policy: string): string {
  const nonce = policy.match(/script-src [^;]*'nonce-([A-Za-z0-9+/=]+)'/)?.[1];
  expect(nonce, `a script nonce in ${policy}`).toBeTruthy();
  return nonce ?? "";
}

test.describe("content security policy in the browser", () => {
  test("the signed-out pages run without a CSP violation", async ({ page }) => {
    const violations = await watchViolations(page);
    const pages: [string, () => Promise<void>][] = [
      ["/", () => expect(page.getByRole("link", { name: "Sign up" }).first()).toBeVisible()],
      ["/sign-in", () => expect(page.getByRole("button", { name: "Sign in" })).toBeVisible()],
      ["/sign-up", () => expect(page.getByRole("button", { name: "Sign up" })).toBeVisible()],
      // A redirect to the sign-in page.
      ["/tasks", () => expect(page.getByRole("button", { name: "Sign in" })).toBeVisible()],
      [
        "/no-such-page",
        () => expect(page.getByRole("heading", { name: "There is no page at this address" })).toBeVisible(),
      ],
      ["/docs", () => expect(page.getByText("List tasks").first()).toBeVisible()],
    ];
    for (const [path, loaded] of pages) {
      const response = await page.goto(path);
      await loaded();
      await page.waitForLoadState("networkidle");
      expect(response && (await onlyCsp(response)), `CSP of ${path}`).toContain("'strict-dynamic'");
      expect(await violations.take(), `CSP violations on ${path}`).toEqual([]);
    }
    // A client-side navigation keeps the policy of the page it started on: from /docs to the sign-in form.
    await page.getByRole("link", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/sign-in\?next=/);
    await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
    expect(await violations.take(), "CSP violations after /docs → /sign-in").toEqual([]);
  });

  test("signed in, the tasks page and the API reference run without a CSP violation", async ({ page }) => {
    const violations = await watchViolations(page);
    await signUp(page);
    await addTask(page, "Water the plants", "The ones on the balcony");
    await tickTask(page, "Water the plants");
    await expect(taskCheckbox(page, "Water the plants")).toBeChecked();
    // The undo toast animates its countdown with a style prop (set through the CSSOM, which the CSP allows).
    await taskItem(page, "Water the plants").getByRole("button", { name: "Delete" }).click();
    await page.getByRole("button", { name: "Undo" }).click();
    await expect(taskCheckbox(page, "Water the plants")).toBeVisible();
    expect(await violations.take(), "CSP violations on /tasks").toEqual([]);

    const token = page.waitForResponse((response) => new URL(response.url()).pathname === "/api/auth/token");
    await page.goto("/docs");
    expect((await token).status()).toBe(200);
    await expect(page.getByText("Requests you try here use a token for")).toBeVisible();
    await expect(page.getByText("List tasks").first()).toBeVisible();
    await expect(page.getByText("Create a task").first()).toBeVisible();
    await page.waitForLoadState("networkidle");
    expect(await violations.take(), "CSP violations on /docs (signed in)").toEqual([]);
  });

  test("each page load has its own nonce, and the page's scripts carry it", async ({ page }) => {
    const nonces: string[] = [];
    for (const path of ["/", "/", "/sign-in"]) {
      const response = await page.goto(path);
      if (!response) throw new Error(`no response for ${path}`);
      const nonce = nonceOf(await onlyCsp(response));
      nonces.push(nonce);
      // Every script the server rendered, inline ones included, has the nonce.
      const tags = (await response.text()).match(/<script\b[^>]*>/g) ?? [];
      expect(tags.length, `script tags of ${path}`).toBeGreaterThan(0);
      for (const tag of tags) expect(tag, `a script tag of ${path}`).toContain(`nonce="${nonce}"`);
      // The browser hides the attribute from the DOM but keeps the nonce in the property.
      const domNonces = await page.evaluate(() => [...document.querySelectorAll("script")].map((s) => s.nonce));
      expect(new Set(domNonces), `nonces of the scripts in ${path}`).toEqual(new Set([nonce]));
    }
    expect(new Set(nonces).size, "distinct nonces of three loads").toBe(3);
  });

  test("markup injected into a page cannot run script", async ({ page }) => {
    const violations = await watchViolations(page);
    // What a stored or reflected XSS would do: the server's own page, its own CSP, plus attacker markup.
    const injected =
      `<script>window.__pwned = true;</script>` +
      `<script nonce="bm90LXRoZS1ub25jZQ==">window.__pwned = true;</script>` +
      `<img alt="" src="data:," onerror="window.__pwned = true">`;
    await page.route("/", async (route) => {
      const response = await route.fetch();
      const body = (await response.text()).replace("</body>", `${injected}</body>`);
      expect(body).toContain(injected);
      await route.fulfill({ response, body });
    });
    await page.goto("/");
    // Next's own scripts (with the nonce) still run: the page hydrates and navigates on the client.
    await page.getByRole("link", { name: "Sign in" }).click();
    await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
    // Injected later, by markup: an inline event handler.
    await page.evaluate(() => {
      const holder = document.createElement("div");
      holder.innerHTML = `<img alt="" src="data:," onerror="window.__pwned = true">`;
      document.body.append(holder);
    });
    await page.waitForTimeout(500);
    expect(await page.evaluate(() => (window as CspWindow).__pwned)).toBeUndefined();
    const refused = await violations.take();
    // Reported too: the two scripts, and the handlers of the two images.
    const count = (directive: string) =>
      refused.filter((line) => line.startsWith(`${directive} refused inline`)).length;
    expect([count("script-src-elem"), count("script-src-attr")], refused.join("\n")).toEqual([2, 2]);
  });
});

test.describe("security headers", () => {
  test("pages: the static headers and a nonce CSP", async ({ request }) => {
    for (const path of ["/", "/sign-in", "/sign-up", "/docs", "/no-such-page"]) {
      const response = await request.get(path);
      expectStaticHeaders(response.headers(), path);
      const policy = await onlyCsp(response);
      expect(policy).toMatch(/^default-src 'self'; script-src 'self' 'nonce-[^']+' 'strict-dynamic';/);
      expect(policy).not.toContain("unsafe-eval");
      for (const directive of [
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "connect-src 'self'",
      ]) {
        expect(policy, `${directive} in the CSP of ${path}`).toContain(directive);
      }
      // Only Scalar's page allows inline styles; the others need the nonce.
      expect(policy).toContain(path === "/docs" ? "style-src 'self' 'unsafe-inline'" : "style-src 'self' 'nonce-");
    }
    const redirect = await request.get("/tasks", { maxRedirects: 0 });
    expect(redirect.status()).toBe(307);
    expectStaticHeaders(redirect.headers(), "the /tasks redirect");
    await onlyCsp(redirect);
  });

  test("API responses: the static headers and the API CSP", async ({ request }) => {
    for (const [path, status] of [
      ["/api/health", 200],
      ["/api/openapi.json", 200],
      ["/api/auth/get-session", 200],
      ["/api/auth/token", 401],
      ["/api/someone/tasks", 401],
    ] as const) {
      const response = await request.get(path);
      expect(response.status(), path).toBe(status);
      expectStaticHeaders(response.headers(), path);
      expect(await onlyCsp(response), path).toBe(API_CSP);
    }
  });

  test("static assets: the static headers", async ({ request }) => {
    const html = await (await request.get("/")).text();
    const asset = html.match(/\/_next\/static\/[^"]+\.js/)?.[0];
    expect(asset).toBeTruthy();
    for (const path of [asset ?? "", "/icon.svg"]) {
      const response = await request.get(path);
      expect(response.status(), path).toBe(200);
      expectStaticHeaders(response.headers(), path);
    }
  });

  test("an undecodable path: 400 invalid_path as JSON, on the API and elsewhere", async ({ request }) => {
    for (const path of ["/api/%FF/tasks", "/api/me/tasks/%E2%82", "/%C3"]) {
      const response = await request.get(path);
      expect(response.status(), path).toBe(400);
      expect(await response.json(), path).toEqual({ error: "invalid_path", detail: expect.any(String) });
      expect(response.headers()["x-request-id"], path).toMatch(/^[0-9a-f-]{36}$/);
      expectStaticHeaders(response.headers(), path);
      expect(await onlyCsp(response), path).toBe(API_CSP);
    }
  });

  test("TRACE (refused by the start script): 405 on pages, each route's own Allow on the API", async ({ request }) => {
    const page = await request.fetch("/", { method: "TRACE" });
    expect(page.status()).toBe(405);
    expect(await page.json()).toEqual({ error: "method_not_allowed", detail: expect.stringContaining("TRACE") });
    expect(page.headers().allow).toBe("GET, HEAD");
    expect(page.headers()["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expectStaticHeaders(page.headers(), "the 405 of a page");
    expect(await onlyCsp(page)).toBe(API_CSP);

    const api = await request.fetch("/api/health", { method: "TRACE" });
    expect(api.status()).toBe(405);
    expect(api.headers().allow).toBe("GET, HEAD, OPTIONS");

    // A client cannot play the start script: its own copy of the header is dropped.
    const forged = await request.fetch("/api/health", {
      method: "OPTIONS",
      headers: { "x-taskapp-refused-method": "TRACE" },
    });
    expect(forged.status()).toBe(204);
  });
});
