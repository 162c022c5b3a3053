// `npm run bench:http`: the production server (`scripts/start.ts`) over HTTP under autocannon, beside the floor — a
// route-handler-only app of the same `next` with fixed JSON (bench/floor) — in the same run, on the same core.
// Builds what is missing, migrates a fresh PostgreSQL database, seeds it through the public API with real Better Auth
// tokens, checks each scenario's answer once, then times list / get / get-pat / create / patch / delete / mixed against
// both, BENCH_ROUNDS times, and prints the medians (and writes them to bench/results/http-<timestamp>.json). get-pat is
// get with a personal access token instead of the JWT. Then a second app instance, whose pool goes through a counting
// proxy, counts the statements (PostgreSQL round-trips) one get and one get-pat cost.
// BENCH_REQUESTS=<n> (or --memory) instead sends n requests of the mixed scenario to the app and prints its RSS.
// Everything it starts (servers, the database) is stopped or dropped on exit, on failure and on Ctrl+C.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import autocannon from "autocannon";
import {
  type Account,
  type Answer,
  build,
  call,
  cpuSeconds,
  createDatabase,
  NEXT_BIN,
  number,
  pinSelf,
  RESULTS,
  type Req,
  ROOT,
  refreshToken,
  rssMiB,
  runBenchmark,
  running,
  type Server,
  signUp,
  startServer,
  stopChild,
  timers,
} from "./bench-support.ts";
import { formatSummary, readProfile, summarise } from "./cpu-profile.ts";
import { startStatementCounter } from "./statement-counter.ts";

const FLOOR = path.join(ROOT, "bench/floor");
const DURATION_S = number("BENCH_DURATION", 10);
const WARMUP_S = number("BENCH_WARMUP", 2);
const ROUNDS = number("BENCH_ROUNDS", 2);
const CONNECTIONS = number("BENCH_CONNECTIONS", 32);
const MEASURED_TASKS = Math.max(50, number("BENCH_TASKS", 200));
const MEMORY_REQUESTS = process.argv.includes("--memory")
  ? number("BENCH_REQUESTS", 100_000)
  : process.env.BENCH_REQUESTS
    ? number("BENCH_REQUESTS", 100_000)
    : 0;
/**
 * The app's settings that differ from its defaults for the benchmark; everything else (REQUEST_LOG=on…) is default.
 * The API's rate limit stays on, with a budget the runs cannot spend, so what it costs is measured; the sign-ups and
 * token refreshes of the seeding are not (they would be refused).
 */
const BENCH_ENV = { API_RATE_LIMIT: "1000000/60s", AUTH_RATE_LIMIT: "off", CLIENT_ADDRESS_SOURCE: "socket" };
const benchEnvText = Object.entries(BENCH_ENV)
  .map(([name, value]) => `${name}=${value}`)
  .join(" ");
const OTHER_USERS = 2;
const OTHER_TASKS = 50;
const TOKEN_REFRESH_MS = 5 * 60_000;

type Target = "app" | "floor";
type Op = "list" | "get" | "create" | "patch" | "delete";
type Scenario = "list 50" | "get" | "get-pat" | "create" | "patch" | "delete" | "mixed";
const ALL_SCENARIOS: Scenario[] = ["list 50", "get", "get-pat", "create", "patch", "delete", "mixed"];
/** The same task GET as `get`, with a personal access token (tasks:read) instead of the JWT. */
const LABEL: Partial<Record<Scenario, string>> = { "get-pat": "get (personal token)" };
const label = (scenario: Scenario) => LABEL[scenario] ?? scenario;
/** BENCH_SCENARIOS=get,patch runs only those (with the delete runs' creates still made beforehand). */
const SCENARIOS = (() => {
  const wanted = process.env.BENCH_SCENARIOS?.split(",").map((name) => name.trim());
  if (!wanted) return ALL_SCENARIOS;
  const unknown = wanted.filter((name) => !ALL_SCENARIOS.includes(name as Scenario));
  if (unknown.length) throw new Error(`BENCH_SCENARIOS: unknown ${unknown.join(", ")} (${ALL_SCENARIOS.join(", ")})`);
  return ALL_SCENARIOS.filter((name) => wanted.includes(name));
})();
/** BENCH_PROFILE=1: the app runs under `node --cpu-prof`; its profile's top frames are printed at the end. */
const PROFILE = process.env.BENCH_PROFILE === "1";
const SINGLE: Record<Exclude<Scenario, "mixed">, Op> = {
  "list 50": "list",
  get: "get",
  "get-pat": "get",
  create: "create",
  patch: "patch",
  delete: "delete",
};
/** mixed: 70% reads, 30% writes. */
const MIX: [Op, number][] = [
  ["get", 0.4],
  ["list", 0.3],
  ["patch", 0.15],
  ["create", 0.1],
  ["delete", 0.05],
];

async function pool(count: number, width: number, job: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, count) }, async () => {
      while (next < count) await job(next++);
    }),
  );
}

async function createTasks(url: string, account: Account, count: number, title: (i: number) => string) {
  const ids: string[] = [];
  await pool(count, 8, async (i) => {
    const answer = await call(url, account.token, {
      method: "POST",
      path: `/api/${account.id}/tasks`,
      body: JSON.stringify({ title: title(i) }),
    });
    if (answer.status !== 201) throw new Error(`seeding: POST answered ${answer.status}: ${answer.text}`);
    ids.push((answer.body as { id: string }).id);
  });
  return ids;
}

// ---------------------------------------------------------------------------------------------------------------
// The requests

type State = {
  target: Target;
  url: string;
  account: Account;
  /** The measured user's personal access token (tasks:read), for get-pat. */
  personalToken: string;
  /** The measured user's seeded tasks: what get and patch address, in turn. */
  ids: string[];
  /** Tasks made to be deleted (app only): the create runs fill it, a top-up before each delete run completes it. */
  deletable: string[];
  completed: Map<string, boolean>;
  turn: number;
  created: number;
};

function request(op: Op, state: State): Req {
  const base = `/api/${state.account.id}/tasks`;
  const nextId = () => state.ids[state.turn++ % state.ids.length] as string;
  switch (op) {
    case "list":
      return { method: "GET", path: `${base}?limit=50` };
    case "get":
      return { method: "GET", path: `${base}/${nextId()}` };
    case "create":
      return { method: "POST", path: base, body: JSON.stringify({ title: `Bench created ${++state.created}` }) };
    case "patch": {
      const id = nextId();
      const completed = !state.completed.get(id);
      state.completed.set(id, completed);
      return { method: "PATCH", path: `${base}/${id}`, body: JSON.stringify({ completed }) };
    }
    case "delete": {
      // An exhausted pool shows as 404s in the non-2xx column, never as silently cheaper requests.
      const id = state.target === "floor" ? nextId() : (state.deletable.pop() ?? crypto.randomUUID());
      return { method: "DELETE", path: `${base}/${id}` };
    }
  }
}

function pick(scenario: Scenario): Op {
  if (scenario !== "mixed") return SINGLE[scenario];
  let roll = Math.random();
  for (const [op, share] of MIX) {
    roll -= share;
    if (roll < 0) return op;
  }
  return "get";
}

// ---------------------------------------------------------------------------------------------------------------
// Checking the answers once before timing

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const keysOf = (value: unknown) => (isRecord(value) ? Object.keys(value).sort().join(",") : "");

type Sizes = { list: number; task: number };

async function check(state: State, taskKeys: string | undefined): Promise<{ keys: string; sizes: Sizes }> {
  const fail = (what: string, answer: Answer) => {
    throw new Error(`${state.target}: ${what} (status ${answer.status}): ${answer.text.slice(0, 300)}`);
  };
  const send = (op: Op) => {
    const req = request(op, state);
    return call(state.url, state.account.token, req).then((answer) => ({ req, answer }));
  };
  const list = (await send("list")).answer;
  if (list.status !== 200 || !Array.isArray(list.body) || list.body.length !== 50) fail("list 50: not 50 tasks", list);
  const items = list.body as unknown[];
  const keys = taskKeys ?? keysOf(items[0]);
  if (!keys.includes("id") || items.some((item) => keysOf(item) !== keys))
    fail(`list 50: a task is not {${keys}}`, list);

  const got = await send("get");
  const id = got.req.path.split("/").pop();
  if (got.answer.status !== 200 || keysOf(got.answer.body) !== keys) fail("get: not a task", got.answer);
  if (state.target === "app" && (got.answer.body as { id: string }).id !== id) fail("get: another task", got.answer);
  const withPat = await call(state.url, state.personalToken, got.req);
  if (withPat.text !== got.answer.text) fail("get-pat: not the same answer as get", withPat);

  const created = await send("create");
  const title = JSON.parse(created.req.body ?? "{}").title;
  const body = created.answer.body as { id: string; title: string };
  if (created.answer.status !== 201 || keysOf(body) !== keys || body.title !== title) fail("create", created.answer);
  if (state.target === "app") state.deletable.push(body.id);

  const patched = await send("patch");
  const completed = JSON.parse(patched.req.body ?? "{}").completed;
  const after = patched.answer.body as { completed: boolean };
  if (patched.answer.status !== 200 || keysOf(after) !== keys || after.completed !== completed) {
    fail("patch: completed not toggled", patched.answer);
  }

  const deleted = await send("delete");
  if (deleted.answer.status !== 204 || deleted.answer.text !== "") fail("delete: not a 204", deleted.answer);
  if (state.target === "app") {
    const gone = await call(state.url, state.account.token, { method: "GET", path: deleted.req.path });
    if (gone.status !== 404) fail("delete: the task is still there", gone);
  }
  return { keys, sizes: { list: Buffer.byteLength(list.text), task: Buffer.byteLength(got.answer.text) } };
}

// ---------------------------------------------------------------------------------------------------------------
// Load

type Measure = {
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
  statuses: Record<string, number>;
  seconds: number;
  /** The server's CPU time (user + system) per request, and its share of the run's wall time (1 = a whole core). */
  cpuMsPerRequest?: number;
  cpuBusy?: number;
};

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

/** One autocannon run of a scenario; `duration` seconds, or `amount` requests. */
function load(state: State, scenario: Scenario, limit: { duration: number } | { amount: number }): Promise<Measure> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: state.url,
        // autocannon refuses more connections than requests.
        connections: "amount" in limit ? Math.min(CONNECTIONS, limit.amount) : CONNECTIONS,
        ...limit,
        requests: [
          {
            setupRequest(req, context) {
              const op = pick(scenario);
              (context as { op?: Op }).op = op;
              const { method, path: target, body } = request(op, state);
              const token = scenario === "get-pat" ? state.personalToken : state.account.token;
              const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
              if (body) headers["Content-Type"] = "application/json";
              return { ...req, method, path: target, body, headers };
            },
            onResponse(status, body, context) {
              if (state.target !== "app" || (context as { op?: Op }).op !== "create" || status !== 201) return;
              state.deletable.push((JSON.parse(body) as { id: string }).id);
            },
          },
        ],
      },
      (error, result) => {
        running.delete(instance);
        if (error) return reject(error);
        const sorted = Float64Array.from(latencies).sort();
        const requests = latencies.length;
        const seconds = result.duration;
        const non2xx = Object.entries(statuses).reduce((sum, [code, n]) => (code.startsWith("2") ? sum : sum + n), 0);
        resolve({
          rps: requests / seconds,
          p50: percentile(sorted, 50),
          p95: percentile(sorted, 95),
          p99: percentile(sorted, 99),
          requests,
          non2xx,
          errors: result.errors,
          statuses,
          seconds,
        });
      },
    );
    running.add(instance);
    // The run tracker's event: (client, status, bytes, milliseconds).
    (instance as unknown as NodeJS.EventEmitter).on("response", (_client, status: number, _bytes, ms: number) => {
      latencies.push(ms);
      statuses[status] = (statuses[status] ?? 0) + 1;
    });
  });
}

/** At least `deletes` deletable tasks, made beforehand by untimed create requests. */
async function topUp(state: State, deletes: number): Promise<void> {
  const missing = Math.ceil(deletes) - state.deletable.length;
  if (missing > 0) await load(state, "create", { amount: missing });
}

// ---------------------------------------------------------------------------------------------------------------
// Output

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};
const ms = (value: number) => value.toFixed(1);
/** The server's CPU per request and how busy its core was, e.g. "1.52 ms/req, 98% busy". */
const cpu = (measure: Measure) =>
  measure.cpuMsPerRequest === undefined
    ? "n/a"
    : `${measure.cpuMsPerRequest.toFixed(2)} ms/req, ${Math.round((measure.cpuBusy ?? 0) * 100)}% busy`;
const fixed = (value: number, digits = 0) => value.toFixed(digits);

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? "").length))) ?? [];
  return rows
    .map((row, r) => {
      const line = row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)));
      return r === 0 ? `${line.join("  ")}\n${widths.map((w) => "-".repeat(w)).join("  ")}` : line.join("  ");
    })
    .join("\n");
}

function gitCommit(): string {
  const result = spawnSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" });
  return result.status === 0 ? result.stdout.trim() : "unknown";
}

const nextVersion = () =>
  (JSON.parse(readFileSync(path.join(ROOT, "node_modules/next/package.json"), "utf8")) as { version: string }).version;

function requestLogLines(file: string): number {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.includes('"msg":"request"')).length;
}

// ---------------------------------------------------------------------------------------------------------------
// The run

async function main(): Promise<void> {
  build("the app", ROOT, []);
  build("the floor", FLOOR, ["bench/floor"]);
  const pinning = pinSelf();
  mkdirSync(RESULTS, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const memory = MEMORY_REQUESTS > 0;

  const database = await createDatabase("bench_http");

  console.log(`next ${nextVersion()}, node ${process.version}, commit ${gitCommit()}; ${pinning}.`);
  console.log(
    `App: scripts/start.ts with ${benchEnvText}, every other ` +
      `setting its default (REQUEST_LOG on: one JSON line a request, to a file); database ${database.name}.`,
  );
  if (!memory)
    console.log("Floor: next start bench/floor (route handlers, fixed JSON, no auth, no database, no proxy).");
  const profileDir = path.join(RESULTS, `profile-${stamp}`);
  const appServer = await startServer(
    "app",
    [...(PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : []), "scripts/start.ts"],
    (url) => ({
      DATABASE_URL: database.url,
      BETTER_AUTH_SECRET: "bench-http-secret-that-is-long-enough-0123456789",
      BETTER_AUTH_URL: url,
      CORS_ORIGINS: url,
      ...BENCH_ENV,
    }),
    `http-${stamp}`,
  );
  const floorServer = memory
    ? undefined
    : await startServer("floor", [NEXT_BIN, "start", "bench/floor"], () => ({}), `http-${stamp}`);

  // Seeding: a few users, the measured one with MEASURED_TASKS tasks.
  const seedStart = performance.now();
  const measured = await signUp(appServer.url, 0);
  for (let n = 1; n <= OTHER_USERS; n++) {
    const other = await signUp(appServer.url, n);
    await createTasks(appServer.url, other, OTHER_TASKS, (i) => `Other task ${i}`);
  }
  const ids = await createTasks(appServer.url, measured, MEASURED_TASKS, (i) => `Bench task ${i + 1}`);
  console.log(
    `Seeded through the API: ${OTHER_USERS + 1} users (Better Auth sign-up, token from /api/auth/token), ` +
      `${MEASURED_TASKS} tasks for the measured one, ${OTHER_TASKS} for each other, in ` +
      `${fixed((performance.now() - seedStart) / 1000, 1)} s.`,
  );
  const refresher = setInterval(() => void refreshToken(appServer.url, measured).catch(() => {}), TOKEN_REFRESH_MS);
  timers.add(refresher);
  const personalToken = await createPersonalToken(appServer.url, measured);

  const fresh = (target: Target, server: Server): State => ({
    target,
    url: server.url,
    account: measured,
    personalToken,
    ids,
    deletable: [],
    completed: new Map(),
    turn: 0,
    created: 0,
  });
  const states: Partial<Record<Target, State>> = { app: fresh("app", appServer) };
  if (floorServer) states.floor = fresh("floor", floorServer);
  const targets = Object.keys(states) as Target[];

  // Each scenario's request answers as expected once, on both, before anything is timed.
  const appCheck = await check(states.app as State, undefined);
  const checks: Partial<Record<Target, Sizes>> = { app: appCheck.sizes };
  if (states.floor) checks.floor = (await check(states.floor, appCheck.keys)).sizes;
  console.log(
    `Answers checked (status and shape of list 50, get, create, patch, delete${states.floor ? "; the floor's tasks have the app's fields" : ""}): ` +
      targets.map((t) => `${t} list ${checks[t]?.list} B, task ${checks[t]?.task} B`).join("; "),
  );

  // The app's delete runs send exactly as many DELETEs as there are tasks made for them beforehand (by the create
  // runs, topped up with untimed creates): its delete rate so far (before any, its fastest rate) times the duration,
  // so the run lasts about that long and never runs dry. mixed creates twice as many tasks as it deletes: a buffer.
  const rates = { delete: 0, fastest: 200 };
  const pidOf = (target: Target) => (target === "app" ? appServer : floorServer)?.child.pid;
  const run = async (target: Target, scenario: Scenario, limit: { duration: number } | { amount: number }) => {
    const state = states[target] as State;
    if (target === "app" && scenario === "delete" && "duration" in limit) {
      const deletes = Math.ceil((rates.delete || rates.fastest) * limit.duration);
      await topUp(state, deletes);
      limit = { amount: Math.max(state.deletable.length, CONNECTIONS) };
    } else if (target === "app" && scenario === "mixed") await topUp(state, CONNECTIONS * 4);
    const pid = pidOf(target);
    const cpuBefore = cpuSeconds(pid);
    const measure = await load(state, scenario, limit);
    const cpuAfter = cpuSeconds(pid);
    if (cpuBefore !== null && cpuAfter !== null && measure.requests > 0) {
      measure.cpuMsPerRequest = ((cpuAfter - cpuBefore) * 1000) / measure.requests;
      measure.cpuBusy = (cpuAfter - cpuBefore) / measure.seconds;
    }
    if (target === "app") {
      rates.fastest = Math.max(rates.fastest, measure.rps);
      if (scenario === "delete") rates.delete = measure.rps;
    }
    return measure;
  };

  // Warm-up: every scenario on every server, untimed.
  console.log(`Warming up (${WARMUP_S} s a scenario and server)…`);
  for (const target of targets) for (const scenario of SCENARIOS) await run(target, scenario, { duration: WARMUP_S });
  const rssBefore = Object.fromEntries(targets.map((t) => [t, rssMiB(pidOf(t))]));

  if (memory) {
    await memoryRun(states.app as State, appServer, rssBefore.app ?? null, stamp, pinning);
    return;
  }

  console.log(
    `Timing: ${SCENARIOS.length} scenarios × ${targets.length} servers × ${ROUNDS} rounds of ${DURATION_S} s, ` +
      `${CONNECTIONS} connections. delete (app): as many DELETEs as tasks created beforehand for it (by the create ` +
      `runs, topped up through the API to its delete rate so far × the duration). mixed: ${MIX.map(([op, share]) => `${op} ${share * 100}%`).join(", ")}.`,
  );
  const measures: Record<Target, Record<Scenario, Measure[]>> = {
    app: Object.fromEntries(SCENARIOS.map((s) => [s, []])) as unknown as Record<Scenario, Measure[]>,
    floor: Object.fromEntries(SCENARIOS.map((s) => [s, []])) as unknown as Record<Scenario, Measure[]>,
  };
  for (let round = 1; round <= ROUNDS; round++) {
    for (const scenario of SCENARIOS) {
      // Alternate which server goes first, so neither always runs on the warmer machine.
      const order = round % 2 ? targets : [...targets].reverse();
      for (const target of order) {
        const measure = await run(target, scenario, { duration: DURATION_S });
        measures[target][scenario].push(measure);
        const bad = measure.non2xx + measure.errors;
        console.log(
          `  round ${round}  ${label(scenario).padEnd(20)}  ${target.padEnd(5)}  ${fixed(measure.rps).padStart(6)} req/s  ` +
            `p99 ${ms(measure.p99)} ms  CPU ${cpu(measure)}${bad ? `  (${measure.non2xx} non-2xx, ${measure.errors} errors: ${JSON.stringify(measure.statuses)})` : ""}`,
        );
      }
    }
  }
  const rssAfter = Object.fromEntries(targets.map((t) => [t, rssMiB(pidOf(t))]));

  const summary = SCENARIOS.map((scenario) => {
    const of = (target: Target) => {
      const runs = measures[target][scenario];
      return {
        rps: median(runs.map((m) => m.rps)),
        p50: median(runs.map((m) => m.p50)),
        p95: median(runs.map((m) => m.p95)),
        p99: median(runs.map((m) => m.p99)),
        cpuMsPerRequest: median(runs.map((m) => m.cpuMsPerRequest ?? Number.NaN)),
        non2xx: runs.reduce((sum, m) => sum + m.non2xx + m.errors, 0),
      };
    };
    const app = of("app");
    const floor = of("floor");
    return { scenario, app, floor, rpsRatio: app.rps / floor.rps, p99Ratio: app.p99 / floor.p99 };
  });

  const rows = [
    [
      "scenario",
      "app req/s",
      "p50",
      "p95",
      "p99 ms",
      "floor req/s",
      "p50",
      "p95",
      "p99 ms",
      "req/s app/floor",
      "p99 app/floor",
      "CPU ms/req app",
      "floor",
      "non-2xx",
    ],
    ...summary.map(({ scenario, app, floor, rpsRatio, p99Ratio }) => [
      label(scenario),
      fixed(app.rps),
      ms(app.p50),
      ms(app.p95),
      ms(app.p99),
      fixed(floor.rps),
      ms(floor.p50),
      ms(floor.p95),
      ms(floor.p99),
      fixed(rpsRatio, 2),
      fixed(p99Ratio, 1),
      fixed(app.cpuMsPerRequest, 2),
      fixed(floor.cpuMsPerRequest, 2),
      `${app.non2xx}/${floor.non2xx}`,
    ]),
  ];
  console.log(
    `\nMedians of ${ROUNDS} rounds, ${DURATION_S} s each, ${CONNECTIONS} connections (latency in ms; non-2xx: app/floor, all rounds):\n`,
  );
  console.log(table(rows));
  const rss = (t: Target) => `${t} ${rssBefore[t]} MiB after warm-up → ${rssAfter[t]} MiB at the end`;
  console.log(`\nRSS (VmRSS): ${targets.map(rss).join("; ")}.`);
  console.log(`App request log: ${requestLogLines(appServer.log)} lines (REQUEST_LOG on).`);
  const statements = await countStatements(states.app as State, database.url, appServer.url, stamp);

  const file = path.join(RESULTS, `http-${stamp}.json`);
  const settings = {
    duration_s: DURATION_S,
    warmup_s: WARMUP_S,
    rounds: ROUNDS,
    connections: CONNECTIONS,
    measured_tasks: MEASURED_TASKS,
    pinning,
    app_env: { ...BENCH_ENV, REQUEST_LOG: "on (default)" },
    mixed: Object.fromEntries(MIX),
  };
  const report = {
    time: new Date().toISOString(),
    next: nextVersion(),
    node: process.version,
    commit: gitCommit(),
    settings,
    checks,
    summary,
    rss_mib: { before: rssBefore, after: rssAfter },
    statements_per_request: statements,
    runs: measures,
  };
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`Written: ${path.relative(ROOT, file)}`);
  if (PROFILE) await printProfile(appServer, profileDir);
}

/** A read-only personal access token for the measured user, made as the settings page makes one. */
async function createPersonalToken(url: string, account: Account): Promise<string> {
  const response = await fetch(`${url}/api/${account.id}/tokens`, {
    method: "POST",
    headers: { Authorization: `Bearer ${account.token}`, "Content-Type": "application/json" },
    body: JSON.stringify({ name: "bench", scope: "tasks:read" }),
  });
  if (response.status !== 201) throw new Error(`POST tokens answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { secret: string }).secret;
}

const COUNTED_REQUESTS = 500;

/**
 * Statements (round-trips to PostgreSQL) per request of get and get-pat, on a second app instance whose pool goes
 * through a counting proxy (its LISTEN connection does not): COUNTED_REQUESTS sequential requests each, after 50
 * untimed ones. The JWT's session check (every 2 s, ADR 0011) and the token's last-used write (at most once a
 * minute, ADR 0019) show as fractions.
 */
async function countStatements(state: State, databaseUrl: string, publicUrl: string, stamp: string) {
  const target = new URL(databaseUrl);
  const counter = await startStatementCounter({ host: target.hostname, port: Number(target.port || 5432) });
  try {
    const counted = await startServer(
      "app-counted",
      ["scripts/start.ts"],
      () => ({
        DATABASE_URL: counter.urlFor(databaseUrl),
        CHANGES_LISTEN_URL: databaseUrl,
        BETTER_AUTH_SECRET: "bench-http-secret-that-is-long-enough-0123456789",
        BETTER_AUTH_URL: publicUrl,
        CORS_ORIGINS: publicUrl,
        ...BENCH_ENV,
      }),
      `http-${stamp}`,
    );
    const perRequest: Record<string, number> = {};
    for (const [name, token] of [
      ["get", state.account.token],
      ["get (personal token)", state.personalToken],
    ] as const) {
      const get = async () => {
        const answer = await call(counted.url, token, request("get", state));
        if (answer.status !== 200) throw new Error(`${name} on the counted instance: ${answer.status} ${answer.text}`);
      };
      for (let i = 0; i < 50; i++) await get();
      const before = counter.statements;
      for (let i = 0; i < COUNTED_REQUESTS; i++) await get();
      perRequest[name] = (counter.statements - before) / COUNTED_REQUESTS;
    }
    await stopChild(counted.child);
    console.log(
      `Statements per request (PostgreSQL round-trips through a counting proxy, ${COUNTED_REQUESTS} sequential ` +
        `requests each on a second instance): ${Object.entries(perRequest)
          .map(([name, n]) => `${name} ${n.toFixed(3)}`)
          .join(", ")}.`,
    );
    return perRequest;
  } finally {
    await counter.close();
  }
}

/** Stops the app (its profile is written as it exits) and prints where its CPU time went. */
async function printProfile(server: Server, dir: string): Promise<void> {
  await stopChild(server.child);
  const files = existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith(".cpuprofile")) : [];
  if (files.length === 0) throw new Error(`BENCH_PROFILE: no profile in ${path.relative(ROOT, dir)}`);
  for (const name of files) {
    const file = path.join(dir, name);
    console.log(`\nApp CPU profile (warm-up and timed runs), ${path.relative(ROOT, file)}:`);
    console.log(formatSummary(summarise(readProfile(file))));
  }
}

/** BENCH_REQUESTS / --memory: that many mixed requests to the app after warm-up, RSS sampled along the way. */
async function memoryRun(state: State, server: Server, warmedUp: number | null, stamp: string, pinning: string) {
  // The scenario warm-up is too short for the heap to reach its working size: a tenth as many mixed requests more
  // (BENCH_MEMORY_WARMUP), untimed, before the start figure.
  const warmup = Math.round(number("BENCH_MEMORY_WARMUP", Math.max(MEMORY_REQUESTS / 10, CONNECTIONS)));
  console.log(`Memory: app RSS ${warmedUp} MiB after the scenario warm-up; ${warmup} more mixed requests first…`);
  await load(state, "mixed", { amount: warmup });
  const start = rssMiB(server.child.pid);
  console.log(`${MEMORY_REQUESTS} mixed requests, ${CONNECTIONS} connections; app RSS ${start} MiB at start.`);
  const samples: { s: number; rss: number | null }[] = [{ s: 0, rss: start }];
  const began = performance.now();
  const sampler = setInterval(() => {
    const sample = { s: Math.round((performance.now() - began) / 1000), rss: rssMiB(server.child.pid) };
    samples.push(sample);
    console.log(`  ${String(sample.s).padStart(4)} s  RSS ${sample.rss} MiB`);
  }, 10_000);
  timers.add(sampler);
  const measure = await load(state, "mixed", { amount: MEMORY_REQUESTS });
  clearInterval(sampler);
  const end = rssMiB(server.child.pid);
  samples.push({ s: Math.round((performance.now() - began) / 1000), rss: end });
  const growth = start && end ? (end - start) / start : Number.NaN;
  const flat = Math.abs(growth) <= 0.1;
  console.log(
    `\n${measure.requests} requests in ${fixed(measure.seconds, 1)} s (${fixed(measure.rps)} req/s, p99 ` +
      `${ms(measure.p99)} ms, ${measure.non2xx} non-2xx, ${measure.errors} errors).`,
  );
  console.log(
    `RSS at start ${start} MiB, at end ${end} MiB: ${growth >= 0 ? "+" : ""}${fixed(growth * 100, 1)}% ` +
      `(${flat ? "flat within 10%" : "NOT flat within 10%"}).`,
  );
  const file = path.join(RESULTS, `http-memory-${stamp}.json`);
  const report = { time: new Date().toISOString(), commit: gitCommit(), pinning, requests: MEMORY_REQUESTS, measure };
  const rss = { after_scenario_warmup: warmedUp, warmup_requests: warmup, start, end, growth, samples };
  writeFileSync(file, `${JSON.stringify({ ...report, rss_mib: rss }, null, 2)}\n`);
  console.log(`Written: ${path.relative(ROOT, file)}`);
}

await runBenchmark(main);
