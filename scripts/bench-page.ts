// `npm run bench:page`: how fast the signed-in task page loads, on the production build (`npm run build` first).
// Starts its own server (scripts/dev.ts --start, on an in-memory PGlite), signs a user up through the API, adds
// BENCH_TASKS tasks (20), then loads /tasks BENCH_RUNS times (5) in a phone-sized viewport (390×844) with the CPU
// throttled 4× and a cold cache (a new browser context each time, cache disabled), after one load not counted.
// Prints the median of each figure and writes every load to bench/results/page-<timestamp>.json.
//
// Figures: JavaScript transferred (compressed bytes of script responses, from Network.loadingFinished), requests
// (every request the load made, until the network is quiet), largest contentful paint, and the first task visible:
// the first task row's checkbox in the document, at the next frame, from navigation start (performance.now()); and
// the first task usable: the frame where that checkbox is enabled (the page's scripts have run).
//
// Environment: BENCH_PORT (a free port by default), BENCH_RUNS, BENCH_TASKS, BENCH_CPU (throttling rate),
// CHROMIUM_PATH (else /usr/bin/chromium, else Playwright's own browser).
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium } from "@playwright/test";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const TASKS = Number(process.env.BENCH_TASKS ?? 20);
const CPU_RATE = Number(process.env.BENCH_CPU ?? 4);
const VIEWPORT = { width: 390, height: 844 };
/** BENCH_VERBOSE=1 prints each request and the page's console errors. */
const VERBOSE = Boolean(process.env.BENCH_VERBOSE);
const QUIET_MS = 1500;
const FIRST_TASK = "main li[data-task-id] input[type=checkbox]";

interface Load {
  /** Compressed, as sent (headers included). */
  jsBytes: number;
  /** Uncompressed. */
  jsDecodedBytes: number;
  jsRequests: number;
  requests: number;
  lcpMs: number | undefined;
  firstTaskMs: number | undefined;
  /** The first task's checkbox enabled: the page's scripts have run. */
  firstTaskUsableMs: number | undefined;
}

function chromiumPath(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  return ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].find((p) => existsSync(p));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The production server on an in-memory database, in its own process group (stopped as one). */
function startServer(port: number, baseUrl: string): ChildProcess {
  const child = spawn(process.execPath, ["scripts/dev.ts", "--start", "-p", String(port)], {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "ignore", "pipe"],
    env: {
      ...process.env,
      DATABASE_URL: "",
      TEST_DATABASE_URL: "",
      PGLITE_DATA_DIR: "memory",
      AUTH_RATE_LIMIT: "off",
      BETTER_AUTH_URL: baseUrl,
      CORS_ORIGINS: baseUrl,
      PORT: String(port),
    },
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  child.on("exit", (code, signal) => {
    if (!stopping) console.error(`The server stopped (${signal ?? code}).\n${stderr}`);
  });
  return child;
}

let stopping = false;

async function stopServer(child: ChildProcess | undefined): Promise<void> {
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  stopping = true;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      if (child.pid) process.kill(-child.pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }, 10_000);
  await exited;
  clearTimeout(timer);
}

async function waitForHealth(baseUrl: string, server: ChildProcess): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null || server.signalCode !== null) throw new Error("The server exited while starting.");
    try {
      if ((await fetch(`${baseUrl}/api/health`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await sleep(250);
  }
  throw new Error("The server did not become healthy in 120 s.");
}

/** A new user with `TASKS` tasks, made through the public API; returns the session cookie. */
async function seedUser(baseUrl: string): Promise<{ name: string; value: string; secure: boolean }> {
  const headers = { "Content-Type": "application/json", Origin: baseUrl };
  const signUp = await fetch(`${baseUrl}/api/auth/sign-up/email`, {
    method: "POST",
    headers,
    body: JSON.stringify({
      name: "Bench User",
      email: `bench-${randomUUID().slice(0, 8)}@example.com`,
      password: "correct horse battery staple",
    }),
  });
  if (!signUp.ok) throw new Error(`Sign-up failed: HTTP ${signUp.status} ${await signUp.text()}`);
  const { user } = (await signUp.json()) as { user: { id: string } };
  const setCookie = signUp.headers.getSetCookie().find((cookie) => /session_token=/.test(cookie));
  const pair = setCookie?.split(";")[0];
  if (!pair) throw new Error("Sign-up set no session cookie.");
  const [name = "", ...rest] = pair.split("=");
  // `Secure` (a `__Secure-` name) is kept: Chromium accepts it on http://localhost, a secure context.
  const cookie = { name, value: rest.join("="), secure: /;\s*secure/i.test(setCookie ?? "") };

  const tokenResponse = await fetch(`${baseUrl}/api/auth/token`, { headers: { Cookie: pair } });
  if (!tokenResponse.ok) throw new Error(`GET /api/auth/token: HTTP ${tokenResponse.status}`);
  const { token } = (await tokenResponse.json()) as { token: string };
  for (let i = 1; i <= TASKS; i += 1) {
    const created = await fetch(`${baseUrl}/api/${encodeURIComponent(user.id)}/tasks`, {
      method: "POST",
      headers: { ...headers, Authorization: `Bearer ${token}` },
      body: JSON.stringify({ title: `Benchmark task ${i}`, description: i % 3 === 0 ? "With a description" : "" }),
    });
    if (created.status !== 201) throw new Error(`POST task ${i}: HTTP ${created.status} ${await created.text()}`);
  }
  return cookie;
}

/**
 * In the page before any of its scripts: the LCP, the first frame with a task row's checkbox in it, and the first
 * frame where that checkbox can be used (not disabled: the page's scripts have run).
 */
function observe(selector: string) {
  type Marks = { lcp?: number; firstTask?: number; firstTaskUsable?: number };
  const w = window as unknown as { __bench: Marks };
  w.__bench = {};
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) w.__bench.lcp = entry.startTime;
  }).observe({ type: "largest-contentful-paint", buffered: true });
  const mark = (name: "firstTask" | "firstTaskUsable", query: string) => {
    if (w.__bench[name] !== undefined || !document.querySelector(query)) return;
    w.__bench[name] = -1;
    requestAnimationFrame((frame) => {
      w.__bench[name] = frame;
    });
  };
  const observer = new MutationObserver(() => {
    mark("firstTask", selector);
    mark("firstTaskUsable", `${selector}:not(:disabled)`);
    if (w.__bench.firstTaskUsable !== undefined) observer.disconnect();
  });
  observer.observe(document, { childList: true, subtree: true, attributes: true });
}

async function measure(
  browser: Browser,
  baseUrl: string,
  cookie: { name: string; value: string; secure: boolean },
): Promise<Load> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  try {
    await context.addCookies([
      { ...cookie, domain: new URL(baseUrl).hostname, path: "/", httpOnly: true, sameSite: "Lax" },
    ]);
    await context.addInitScript(observe, FIRST_TASK);
    const page = await context.newPage();
    if (VERBOSE) page.on("console", (m) => m.type() === "error" && console.log(`  console: ${m.text()}`));
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU_RATE });

    const scripts = new Set<string>();
    let requests = 0;
    let inflight = 0;
    let lastActivity = Date.now();
    let jsBytes = 0;
    let jsDecodedBytes = 0;
    let jsRequests = 0;
    cdp.on("Network.requestWillBeSent", ({ request }) => {
      if (request.url.startsWith("data:")) return;
      requests += 1;
      inflight += 1;
      lastActivity = Date.now();
      if (VERBOSE) console.log(`  ${request.method} ${request.url}`);
    });
    cdp.on("Network.responseReceived", ({ requestId, type, response }) => {
      if (VERBOSE && response.url.includes("/api/")) console.log(`  ${response.status} ${response.url}`);
      if (type === "Script") scripts.add(requestId);
    });
    cdp.on("Network.dataReceived", ({ requestId, dataLength }) => {
      if (scripts.has(requestId)) jsDecodedBytes += dataLength;
    });
    cdp.on("Network.loadingFailed", () => {
      inflight -= 1;
      lastActivity = Date.now();
    });
    cdp.on("Network.loadingFinished", ({ requestId, encodedDataLength }) => {
      inflight -= 1;
      lastActivity = Date.now();
      if (!scripts.has(requestId)) return;
      jsBytes += encodedDataLength;
      jsRequests += 1;
    });

    await page.goto(`${baseUrl}/tasks`, { waitUntil: "load", timeout: 60_000 });
    if (!new URL(page.url()).pathname.startsWith("/tasks")) throw new Error(`Not signed in: landed on ${page.url()}`);
    await page.waitForSelector(FIRST_TASK, { timeout: 60_000 });
    await page.waitForSelector(`${FIRST_TASK}:not(:disabled)`, { timeout: 60_000 });
    // Whatever the page asks for once its scripts run (the token, the list again, counts, lists, tags): until nothing
    // has been in flight for QUIET_MS (a throttled CPU runs scripts for long stretches without a request).
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && (inflight > 0 || Date.now() - lastActivity < QUIET_MS)) await sleep(100);
    type Marks = { lcp?: number; firstTask?: number; firstTaskUsable?: number };
    const marks = await page.evaluate(() => (window as unknown as { __bench: Marks }).__bench);
    return {
      jsBytes,
      jsDecodedBytes,
      jsRequests,
      requests,
      lcpMs: marks.lcp,
      firstTaskMs: marks.firstTask,
      firstTaskUsableMs: marks.firstTaskUsable,
    };
  } finally {
    await context.close();
  }
}

function median(values: (number | undefined)[]): number | undefined {
  const known = values.filter((v): v is number => v !== undefined).sort((a, b) => a - b);
  if (known.length === 0) return undefined;
  const mid = Math.floor(known.length / 2);
  return known.length % 2 ? known[mid] : ((known[mid - 1] ?? 0) + (known[mid] ?? 0)) / 2;
}

const ms = (value: number | undefined) => (value === undefined ? "—" : `${(value / 1000).toFixed(2)} s`);
const kb = (value: number | undefined) => (value === undefined ? "—" : `${(value / 1024).toFixed(0)} KB`);

async function main() {
  if (!existsSync(path.join(ROOT, ".next", "BUILD_ID"))) {
    throw new Error("No production build: run `npm run build` first.");
  }
  const port = Number(process.env.BENCH_PORT ?? (await freePort()));
  const baseUrl = `http://localhost:${port}`;
  let server: ChildProcess | undefined;
  let browser: Browser | undefined;
  const stop = async () => {
    await browser?.close().catch(() => {});
    await stopServer(server);
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      void stop().finally(() => process.exit(130));
    });
  }
  try {
    server = startServer(port, baseUrl);
    await waitForHealth(baseUrl, server);
    const cookie = await seedUser(baseUrl);
    browser = await chromium.launch({
      executablePath: chromiumPath(),
      args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update"],
    });
    // One load first, not counted: the server's first render of the page warms its caches.
    await measure(browser, baseUrl, cookie);
    const loads: Load[] = [];
    for (let run = 1; run <= RUNS; run += 1) {
      const load = await measure(browser, baseUrl, cookie);
      loads.push(load);
      console.log(
        `load ${run}: JS ${kb(load.jsBytes)} (${load.jsRequests} files, ${kb(load.jsDecodedBytes)} uncompressed), ${load.requests} requests, ` +
          `LCP ${ms(load.lcpMs)}, first task ${ms(load.firstTaskMs)} (usable ${ms(load.firstTaskUsableMs)})`,
      );
    }
    const summary = {
      jsBytes: median(loads.map((l) => l.jsBytes)),
      jsDecodedBytes: median(loads.map((l) => l.jsDecodedBytes)),
      jsRequests: median(loads.map((l) => l.jsRequests)),
      requests: median(loads.map((l) => l.requests)),
      lcpMs: median(loads.map((l) => l.lcpMs)),
      firstTaskMs: median(loads.map((l) => l.firstTaskMs)),
      firstTaskUsableMs: median(loads.map((l) => l.firstTaskUsableMs)),
    };
    console.log(`\nmedian of ${RUNS} (${TASKS} tasks, ${VIEWPORT.width}×${VIEWPORT.height}, CPU ${CPU_RATE}× slower):`);
    console.table({
      "JavaScript transferred": `${kb(summary.jsBytes)} (${kb(summary.jsDecodedBytes)} uncompressed)`,
      Requests: String(summary.requests),
      "Largest contentful paint": ms(summary.lcpMs),
      "First task visible": ms(summary.firstTaskMs),
      "First task usable": ms(summary.firstTaskUsableMs),
    });
    const dir = path.join(ROOT, "bench", "results");
    mkdirSync(dir, { recursive: true });
    const file = path.join(
      dir,
      `page-${new Date()
        .toISOString()
        .replaceAll(":", "-")
        .replace(/\.\d+Z$/, "Z")}.json`,
    );
    const settings = { runs: RUNS, tasks: TASKS, viewport: VIEWPORT, cpuThrottling: CPU_RATE, cache: "disabled" };
    writeFileSync(file, `${JSON.stringify({ settings, median: summary, loads }, null, 2)}\n`);
    console.log(`Written to ${path.relative(ROOT, file)}`);
  } finally {
    await stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
