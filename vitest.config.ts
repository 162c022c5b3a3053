import path from "node:path";
import { defineConfig } from "vitest/config";

const root = import.meta.dirname;

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
    exclude: ["tests/e2e/**", "node_modules/**"],
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
    },
  },
});
