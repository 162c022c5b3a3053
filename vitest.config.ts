import path from "node:path";
import { defineConfig } from "vitest/config";

const root = import.meta.dirname;

// The suites in tests/http start real production servers, each on a database of its own: they need a PostgreSQL
// server that lets them create databases. Without one they are left out, and the run says so.
const realPostgres = Boolean(process.env.TEST_DATABASE_URL || process.env.DATABASE_URL);
if (!realPostgres) console.warn("No TEST_DATABASE_URL: the tests/http suites (real servers) are skipped.");

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@\//, replacement: `${root}/` },
      // `server-only` throws outside React Server Components; tests call the server code directly.
      { find: /^server-only$/, replacement: path.join(root, "tests/support/server-only.ts") },
    ],
  },
  test: {
    include: ["tests/**/*.test.ts"],
    exclude: ["tests/e2e/**", "node_modules/**", ...(realPostgres ? [] : ["tests/http/**"])],
    globalSetup: ["tests/support/global-setup.ts"],
    setupFiles: ["tests/support/worker-database.ts", "tests/support/console-guard.ts"],
    pool: "forks",
    isolate: false,
    testTimeout: 20_000,
    hookTimeout: 60_000,
    env: {
      NODE_ENV: "test",
      BETTER_AUTH_URL: "http://localhost:3000",
      BETTER_AUTH_SECRET: "test-only-secret-that-is-long-enough-0123456789",
      CORS_ORIGINS: "http://localhost:3000,http://localhost:3001",
      // In-process requests share one "address": the auth limits are tested against real servers
      // (tests/http/rate-limits.test.ts); the API limit stays on, high, so every request goes through it.
      AUTH_RATE_LIMIT: "off",
      API_RATE_LIMIT: "1000000/60s",
      REQUEST_LOG: "off",
      // Webhook receivers in the tests listen on 127.0.0.1, and retry within milliseconds.
      WEBHOOK_ALLOW_LOOPBACK: "true",
      WEBHOOK_RETRY_BASE_MS: "20",
      WEBHOOK_RETRY_MAX_MS: "100",
    },
  },
});
