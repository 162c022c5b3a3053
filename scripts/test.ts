// `npm test`: builds the app once, then runs every test against that build: vitest (in-process suites and the
// suites that start real production servers, tests/http) and Playwright (tests/e2e). SKIP_BUILD=1 reuses .next.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const bin = (name: string) => path.join(ROOT, "node_modules/.bin", name);

function run(label: string, command: string, args: string[], env: Record<string, string> = {}): void {
  const started = Date.now();
  console.log(`--- ${label}`);
  const result = spawnSync(command, args, { cwd: ROOT, stdio: "inherit", env: { ...process.env, ...env } });
  console.log(
    `--- ${label}: ${result.status === 0 ? "passed" : "FAILED"} in ${Math.round((Date.now() - started) / 1000)} s`,
  );
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (process.env.SKIP_BUILD !== "1") run("build", bin("next"), ["build"]);
run("vitest", bin("vitest"), ["run"]);
run("playwright", bin("playwright"), ["test"], { E2E_SKIP_BUILD: "1" });
