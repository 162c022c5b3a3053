// `npm run bench:live`: how long a write takes to reach a stream on another instance. Two instances of the
// production server (`scripts/start.ts`) on one fresh PostgreSQL database; a user's event stream open on B; writes
// made through A one after another; for each, the time from its response to its event on B's stream. Then 100 more
// streams on B, the PostgreSQL connections counted before and after, and the delays measured again with them open.
// Prints the table and writes bench/results/live-<timestamp>.json; stops what it started on exit, failure or Ctrl+C.
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import {
  type Account,
  ADMIN_URL,
  build,
  call,
  createDatabase,
  number,
  pinSelf,
  RESULTS,
  type Req,
  ROOT,
  runBenchmark,
  running,
  type Server,
  signUp,
  sleep,
  startServer,
} from "./bench-support.ts";

const WRITES = number("BENCH_WRITES", 1_000);
const WARMUP_WRITES = number("BENCH_WARMUP_WRITES", 50);
const LOADED_WRITES = number("BENCH_LOADED_WRITES", 200);
/** The cap of open streams per user per instance (lib/changes/stream.ts): 100 streams are 10 users' 10. */
const STREAMS_PER_USER = 10;
const EXTRA_STREAM_USERS = 10;
const STREAM_TIMEOUT_MS = 10_000;
const POOL_IDLE_MS = 12_000;

type Event = { event_id: string; type: string; id: string; data?: { version: number } };

/** One user's event stream: hands each change event to `onEvent` as it arrives. */
class Stream {
  readonly #abort = new AbortController();
  readonly ready: Promise<void>;
  onEvent: (event: Event, arrivedAt: number) => void = () => {};

  constructor(url: string, account: Account) {
    this.ready = this.#open(url, account);
    running.add({ stop: () => this.close() });
  }

  async #open(url: string, account: Account) {
    const response = await fetch(`${url}/api/${account.id}/events`, {
      headers: { Authorization: `Bearer ${account.token}` },
      signal: this.#abort.signal,
    });
    if (response.status !== 200 || !response.body) {
      throw new Error(`GET …/events answered ${response.status}: ${await response.text()}`);
    }
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    let readyResolved = false;
    return new Promise<void>((resolve, reject) => {
      const pump = async () => {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          const arrivedAt = performance.now();
          buffer += value;
          for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const event = block.match(/^event: (.*)$/m)?.[1];
            const data = block.match(/^data: (.*)$/m)?.[1];
            if (event === "ready" && !readyResolved) {
              readyResolved = true;
              resolve();
            } else if (data && event !== "end" && event !== "ready") {
              this.onEvent(JSON.parse(data) as Event, arrivedAt);
            }
          }
        }
      };
      pump().catch((error: unknown) => {
        if (!this.#abort.signal.aborted) reject(error);
      });
    });
  }

  close() {
    this.#abort.abort();
  }
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0
    ? Number.NaN
    : (sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0);
const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : "—");

type Delays = {
  writes: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Events read before their write's answer was (B's NOTIFY path beat A's response): counted as 0 ms. */
  before_answer: number;
  /** From sending the write to its event on B: the whole way, for comparison. */
  end_to_end_p50: number;
  end_to_end_p95: number;
  write_p50: number;
  write_p95: number;
};

/**
 * Makes `count` writes through A (creates, then patches of what it created, then deletes: 40/40/20), one after
 * another, and times each from its response to its event on `stream`. Every write's event must arrive, in order.
 */
async function measure(a: Server, account: Account, stream: Stream, count: number): Promise<Delays> {
  const creates = Math.round(count * 0.4);
  const patches = Math.round(count * 0.4);
  const deletes = count - creates - patches;
  const ids: string[] = [];
  const delays: number[] = [];
  const endToEnd: number[] = [];
  const writeTimes: number[] = [];
  let beforeAnswer = 0;
  // An event may arrive before its write's answer is read: arrivals wait here for their write, writes for their event.
  const arrivals = new Map<string, number>();
  const waiting = new Map<string, (at: number) => void>();
  let lastEventId = 0n;
  stream.onEvent = (event, arrivedAt) => {
    const seq = BigInt(event.event_id);
    if (seq <= lastEventId) throw new Error(`event ${event.event_id} after ${lastEventId}: out of order`);
    lastEventId = seq;
    const key = `${event.type} ${event.id} ${event.data?.version ?? ""}`;
    const waiter = waiting.get(key);
    if (waiter) waiter(arrivedAt);
    else arrivals.set(key, arrivedAt);
  };
  const write = async (request: Req, eventOf: (body: unknown) => { id: string; type: string; version?: number }) => {
    const started = performance.now();
    const answer = await call(a.url, account.token, request);
    const answeredAt = performance.now();
    if (answer.status >= 300) throw new Error(`${request.method} ${request.path} answered ${answer.status}`);
    writeTimes.push(answeredAt - started);
    const { id, type, version } = eventOf(answer.body);
    const key = `${type} ${id} ${version ?? ""}`;
    const at =
      arrivals.get(key) ??
      (await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no ${key} event within ${STREAM_TIMEOUT_MS} ms`)),
          STREAM_TIMEOUT_MS,
        );
        waiting.set(key, (arrivedAt) => {
          clearTimeout(timer);
          waiting.delete(key);
          resolve(arrivedAt);
        });
      }));
    arrivals.delete(key);
    if (at < answeredAt) beforeAnswer += 1;
    delays.push(Math.max(0, at - answeredAt));
    endToEnd.push(at - started);
  };
  const tasksPath = `/api/${account.id}/tasks`;
  for (let i = 0; i < creates; i++) {
    await write({ method: "POST", path: tasksPath, body: JSON.stringify({ title: `Live ${i}` }) }, (body) => {
      const task = body as { id: string; version: number };
      ids.push(task.id);
      return { id: task.id, type: "task.upserted", version: task.version };
    });
  }
  for (let i = 0; i < patches; i++) {
    const id = ids[i % ids.length] as string;
    await write(
      { method: "PATCH", path: `${tasksPath}/${id}`, body: JSON.stringify({ title: `Live ${i} (edited)` }) },
      (body) => ({ id, type: "task.upserted", version: (body as { version: number }).version }),
    );
  }
  for (const id of ids.slice(0, deletes)) {
    await write({ method: "DELETE", path: `${tasksPath}/${id}` }, () => ({ id, type: "task.deleted" }));
  }
  const sorted = [...delays].sort((x, y) => x - y);
  const writesSorted = [...writeTimes].sort((x, y) => x - y);
  const endToEndSorted = [...endToEnd].sort((x, y) => x - y);
  return {
    writes: delays.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
    before_answer: beforeAnswer,
    end_to_end_p50: percentile(endToEndSorted, 50),
    end_to_end_p95: percentile(endToEndSorted, 95),
    write_p50: percentile(writesSorted, 50),
    write_p95: percentile(writesSorted, 95),
  };
}

async function connections(database: string): Promise<{ total: number; listeners: number }> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ total: number; listeners: number }>(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE application_name = 'taskapp-listener')::int AS listeners
       FROM pg_stat_activity WHERE datname = $1`,
      [database],
    );
    return rows[0] ?? { total: 0, listeners: 0 };
  } finally {
    await client.end();
  }
}

const gitCommit = () => spawnSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT }).stdout?.toString().trim();

async function main(): Promise<void> {
  build("the app", ROOT, []);
  const pinning = pinSelf();
  mkdirSync(RESULTS, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const database = await createDatabase("bench_live");
  const env = (publicUrl: string) => ({
    DATABASE_URL: database.url,
    BETTER_AUTH_SECRET: "bench-live-secret-that-is-long-enough-0123456789",
    BETTER_AUTH_URL: publicUrl,
    CORS_ORIGINS: publicUrl,
    API_RATE_LIMIT: "off",
    AUTH_RATE_LIMIT: "off",
    REQUEST_LOG: "off",
  });
  // Both instances answer as one app: the first's URL is the public one (the tokens' issuer) of both.
  const a = await startServer("a", ["scripts/start.ts"], (url) => env(url), `live-${stamp}`);
  const b = await startServer("b", ["scripts/start.ts"], () => env(a.url), `live-${stamp}`);
  console.log(`node ${process.version}, commit ${gitCommit()}; ${pinning} (both instances share core 0).`);
  console.log(`Instances A ${a.url} and B ${b.url} on database ${database.name}; writes through A, stream on B.`);

  const writer = await signUp(a.url, 0);
  const stream = new Stream(b.url, writer);
  await stream.ready;
  await measure(a, writer, stream, WARMUP_WRITES);
  const quiet = await measure(a, writer, stream, WRITES);
  const before = await connections(database.name);

  const watchers: Stream[] = [];
  for (let n = 1; n <= EXTRA_STREAM_USERS; n++) {
    const account = await signUp(a.url, n);
    for (let i = 0; i < STREAMS_PER_USER; i++) watchers.push(new Stream(b.url, account));
  }
  await Promise.all(watchers.map((watcher) => watcher.ready));
  const during = await connections(database.name);
  const loaded = await measure(a, writer, stream, LOADED_WRITES);
  // What the open streams hold once the pools have let their idle connections go (pg's idleTimeoutMillis, 10 s).
  await sleep(POOL_IDLE_MS);
  const held = await connections(database.name);

  const row = (label: string, d: Delays) =>
    `${label.padEnd(30)} ${String(d.writes).padStart(6)} ${fixed(d.p50).padStart(6)} ${fixed(d.p95).padStart(6)} ` +
    `${fixed(d.p99).padStart(6)} ${fixed(d.max).padStart(6)} ${String(d.before_answer).padStart(13)}   ` +
    `${fixed(d.end_to_end_p50)} / ${fixed(d.end_to_end_p95)}`.padEnd(16) +
    `   ${fixed(d.write_p50)} / ${fixed(d.write_p95)}`;
  console.log("\nDelay from a write's answer (through A) to its event on B's stream, ms:");
  console.log(
    `${"".padEnd(30)} ${"writes".padStart(6)} ${"p50".padStart(6)} ${"p95".padStart(6)} ${"p99".padStart(6)} ` +
      `${"max".padStart(6)}  before answer   sent→event p50/p95   write p50/p95`,
  );
  console.log(row("1 stream open", quiet));
  console.log(row(`${watchers.length + 1} streams open (${EXTRA_STREAM_USERS + 1} users)`, loaded));
  console.log(
    "(An event read before its write's answer counts as 0 ms: the notification reached B before A's answer reached " +
      "the client.)",
  );
  const counted = (c: { total: number; listeners: number }) => `${c.total} (${c.listeners} of them listening)`;
  console.log(
    `\nPostgreSQL connections to the database (both instances, pools of up to 10 each): with 1 stream open ` +
      `${counted(before)}; just after opening ${watchers.length} more ${counted(during)}; ` +
      `${POOL_IDLE_MS / 1000} s later, the ${watchers.length + 1} streams still open, ${counted(held)}. ` +
      "Every write's event arrived, in order.",
  );
  const file = path.join(RESULTS, `live-${stamp}.json`);
  const report = {
    time: new Date().toISOString(),
    commit: gitCommit(),
    pinning,
    delays_ms: { one_stream: quiet, many_streams: { streams: watchers.length + 1, ...loaded } },
    connections: {
      one_stream: before,
      many_streams_just_opened: { streams: watchers.length + 1, ...during },
      many_streams_after_idle: { streams: watchers.length + 1, ...held },
    },
  };
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`Written: ${path.relative(ROOT, file)}`);
}

await runBenchmark(main);
