import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";

const PORT = 3210;
const BASE_URL = `http://localhost:${PORT}`;
const CI = Boolean(process.env.CI);

/** A system Chromium (CHROMIUM_PATH, else the usual Debian/Ubuntu paths); undefined uses Playwright's own browser. */
function chromiumPath(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  return ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].find((path) => existsSync(path));
}

export default defineConfig({
  testDir: "tests/e2e",
  outputDir: "test-results/artifacts",
  fullyParallel: false,
  forbidOnly: CI,
  retries: 0,
  // Two cores: the browser and the Next server share them.
  workers: 2,
  // Generous: the machine is shared (2 cores, a production server and two browsers); nothing waits on purpose.
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: CI ? [["list"], ["html", { open: "never" }]] : [["list"]],
  use: {
    baseURL: BASE_URL,
    ...devices["Desktop Chrome"],
    launchOptions: {
      executablePath: chromiumPath(),
      args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-gpu"],
    },
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [{ name: "chromium" }],
  webServer: {
    // The production build, served on the embedded PGlite database (scripts/dev.ts starts it when DATABASE_URL is
    // empty, applies the migrations and generates a development secret). E2E_SKIP_BUILD=1 serves an existing build
    // (.ci/run sets it after its own `npm run build`).
    command: `${process.env.E2E_SKIP_BUILD ? "" : "npm run build && "}node scripts/dev.ts --start -p ${PORT}`,
    url: `${BASE_URL}/api/health`,
    reuseExistingServer: !CI,
    timeout: 240_000,
    stdout: "ignore",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
    env: {
      // Empty, not unset: Playwright merges this over process.env, and scripts/dev.ts tests truthiness.
      DATABASE_URL: "",
      TEST_DATABASE_URL: "",
      BETTER_AUTH_URL: BASE_URL,
      CORS_ORIGINS: BASE_URL,
      PORT: String(PORT),
      // A fresh in-memory database per run, and no sign-in rate limit: every browser here comes from 127.0.0.1.
      PGLITE_DATA_DIR: "memory",
      AUTH_RATE_LIMIT: "off",
      // tests/e2e/webhooks.spec.ts: its receiver listens on 127.0.0.1; a failing endpoint is disabled within seconds.
      WEBHOOK_ALLOW_LOOPBACK: "true",
      WEBHOOK_RETRY_BASE_MS: "300",
      WEBHOOK_RETRY_WINDOW_MS: "2000",
    },
  },
});
