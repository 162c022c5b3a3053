// What the benchmarks (bench-http.ts, bench-live.ts) share: the servers and the database they start, and stopping
// them on exit, on failure and on Ctrl+C; building and pinning; signing users up through the public API.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, openSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { freePort } from "./free-port.ts";
import { applyMigrations } from "./migrations.ts";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const RESULTS = path.join(ROOT, "bench/results");
export const NEXT_BIN = path.join(ROOT, "node_modules/next/dist/bin/next");
export const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const KEEP_DB = process.env.BENCH_KEEP_DB === "1";
const KEEP_LOGS = process.env.BENCH_KEEP_LOGS === "1";

export const number = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
};

// ---------------------------------------------------------------------------------------------------------------
// What it started, and stopping it

const children = new Set<ChildProcess>();
const logFiles: string[] = [];
let databaseName: string | undefined;
let cleaning: Promise<void> | undefined;
let failed = false;
/** Load generators to stop, and intervals to clear, when the run ends. */
export const running = new Set<{ stop(): void }>();
export const timers = new Set<NodeJS.Timeout>();

/** The run failed: the server logs are kept. */
export function markFailed(): void {
  failed = true;
}

export function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    for (const timer of timers) clearInterval(timer);
    for (const instance of running) instance.stop();
    await Promise.all([...children].map((child) => stopChild(child)));
    if (databaseName && !KEEP_DB) {
      await admin(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`).catch((error: unknown) =>
        console.error(`Could not drop ${databaseName}: ${error}`),
      );
    } else if (databaseName) console.log(`Kept the database ${databaseName} (BENCH_KEEP_DB=1).`);
    for (const file of logFiles) {
      if (failed || KEEP_LOGS) console.log(`Server log kept: ${path.relative(ROOT, file)}`);
      else rmSync(file, { force: true });
    }
  })();
  return cleaning;
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(killer);
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping what the benchmark started…`);
    failed = true;
    void cleanUp().finally(() => process.exit(130));
  });
}

export async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Building, pinning, starting

export function build(label: string, dir: string, args: string[]): void {
  const built = existsSync(path.join(dir, ".next/BUILD_ID"));
  if (built && process.env.BENCH_BUILD !== "1") return;
  console.log(`Building ${label} (${built ? "BENCH_BUILD=1" : "no build yet"})…`);
  const result = spawnSync(process.execPath, [NEXT_BIN, "build", ...args], { cwd: ROOT, stdio: "inherit" });
  if (result.status !== 0) throw new Error(`next build ${args.join(" ")} failed`);
}

const HAS_TASKSET = spawnSync("taskset", ["--version"], { stdio: "ignore" }).status === 0;
const CORES = (() => {
  try {
    return readFileSync("/proc/cpuinfo", "utf8").match(/^processor\s*:/gm)?.length ?? 1;
  } catch {
    return 1;
  }
})();
export const PIN = HAS_TASKSET && CORES >= 2;

/** Pins this process (autocannon runs in it) and all its threads to core 1; servers get core 0. */
export function pinSelf(): string {
  if (!HAS_TASKSET) return "taskset is missing: servers and load generator run unpinned";
  if (!PIN) return `only ${CORES} core: servers and load generator run unpinned`;
  const result = spawnSync("taskset", ["-a", "-p", "-c", "1", String(process.pid)], { stdio: "ignore" });
  if (result.status !== 0) return "taskset -p failed: the load generator runs unpinned (servers on core 0)";
  return "servers pinned to core 0 (taskset -c 0), load generator (autocannon, in this process) to core 1";
}

export type Server = { target: string; url: string; child: ChildProcess; log: string };

export async function startServer(
  target: string,
  args: string[],
  env: (url: string) => Record<string, string>,
  /** Names the log file: `bench/results/<run>.<target>.log`. */
  run: string,
) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const log = path.join(RESULTS, `${run}.${target}.log`);
  logFiles.push(log);
  // Logs go to a file, as a process manager would take them; a pipe to this busy process could block the server.
  const fd = openSync(log, "w");
  const command = [process.execPath, ...args, "-p", String(port), "-H", "127.0.0.1"];
  const child = spawn(PIN ? "taskset" : process.execPath, PIN ? ["-c", "0", ...command] : command.slice(1), {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", NODE_ENV: "production", ...env(url) },
    stdio: ["ignore", fd, fd],
  });
  closeSync(fd);
  children.add(child);
  child.once("exit", () => children.delete(child));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The ${target} server exited with ${child.exitCode}:\n${tail(log)}`);
    try {
      if ((await fetch(`${url}/api/health`)).status === 200) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`The ${target} server did not become healthy:\n${tail(log)}`);
    await sleep(200);
  }
  return { target, url, child, log } satisfies Server;
}

export const tail = (file: string) => readFileSync(file, "utf8").split("\n").slice(-30).join("\n");
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The sum of `read(pid)` over a process and its descendants (0 for one gone meanwhile). */
function overTree(pid: number, read: (id: number) => number): number {
  let sum = 0;
  const visit = (id: number) => {
    try {
      sum += read(id);
      for (const thread of readdirSync(`/proc/${id}/task`)) {
        const kids = readFileSync(`/proc/${id}/task/${thread}/children`, "utf8").trim();
        for (const kid of kids ? kids.split(/\s+/) : []) visit(Number(kid));
      }
    } catch {
      // Gone meanwhile.
    }
  };
  visit(pid);
  return sum;
}

/** Resident memory of a process and its descendants, in MiB, from /proc/<pid>/status. */
export function rssMiB(pid: number | undefined): number | null {
  if (!pid) return null;
  const kib = overTree(pid, (id) =>
    Number(readFileSync(`/proc/${id}/status`, "utf8").match(/^VmRSS:\s+(\d+)/m)?.[1] ?? 0),
  );
  return Math.round((kib / 1024) * 10) / 10;
}

/** Clock ticks a second, for /proc/<pid>/stat's times (100 on Linux). */
const CLOCK_TICKS = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;

/** CPU time (user + system) a process and its descendants have used so far, in seconds, from /proc/<pid>/stat. */
export function cpuSeconds(pid: number | undefined): number | null {
  if (!pid) return null;
  const ticks = overTree(pid, (id) => {
    // The fields after the command name (which may hold spaces), from field 3 on: utime is 14th, stime 15th.
    const fields = readFileSync(`/proc/${id}/stat`, "utf8").split(") ").pop()?.split(" ") ?? [];
    return Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
  });
  return ticks / CLOCK_TICKS;
}

// ---------------------------------------------------------------------------------------------------------------
// Accounts and seeding, through the public API

export type Account = { id: string; cookie: string; token: string };
export type Answer = { status: number; text: string; body: unknown };

export type Req = { method: "GET" | "POST" | "PATCH" | "DELETE"; path: string; body?: string };

export async function call(url: string, token: string | undefined, request: Req): Promise<Answer> {
  const response = await fetch(`${url}${request.path}`, {
    method: request.method,
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(request.body ? { "Content-Type": "application/json" } : {}),
    },
    body: request.body,
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: response.status, text, body };
}

export async function signUp(url: string, n: number): Promise<Account> {
  const email = `bench-${n}-${Date.now()}-${process.pid}@example.test`;
  const response = await fetch(`${url}/api/auth/sign-up/email`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: url },
    body: JSON.stringify({ name: `Bench ${n}`, email, password: "correct horse battery staple" }),
  });
  if (response.status !== 200) throw new Error(`sign-up answered ${response.status}: ${await response.text()}`);
  const { user } = (await response.json()) as { user: { id: string } };
  const cookie = response.headers
    .getSetCookie()
    .map((line) => line.split(";")[0])
    .join("; ");
  const account = { id: user.id, cookie, token: "" };
  await refreshToken(url, account);
  return account;
}

export async function refreshToken(url: string, account: Account): Promise<void> {
  const response = await fetch(`${url}/api/auth/token`, { headers: { Cookie: account.cookie } });
  if (response.status !== 200) throw new Error(`token answered ${response.status}: ${await response.text()}`);
  account.token = ((await response.json()) as { token: string }).token;
}

/** Runs `count` jobs, `width` at a time. */
/** A fresh database on ADMIN_URL's server, migrated; cleanUp drops it (unless BENCH_KEEP_DB=1). */
export async function createDatabase(prefix: string): Promise<{ name: string; url: string }> {
  databaseName = `${prefix}_${Date.now()}_${process.pid}`;
  await admin(`CREATE DATABASE "${databaseName}"`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${databaseName}`;
  await applyMigrations(url.href);
  return { name: databaseName, url: url.href };
}

/** Runs a benchmark: a failure is printed and exits 1, and what it started is stopped either way. */
export async function runBenchmark(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    markFailed();
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exitCode = 1;
  } finally {
    await cleanUp();
  }
}
