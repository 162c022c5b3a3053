// `npm run bench`: latency of the task list at 100,000 tasks in 50 lists with 200 tags for one user, against
// DATABASE_URL (a real PostgreSQL).
// Migrates the database, seeds (or reuses) the tasks, times the list function in-process and prints each query plan.
import { existsSync } from "node:fs";
import { registerHooks } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import pg from "pg";
import { applyMigrations } from "./migrations.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const USER_ID = "bench-user";
const OTHER_USER_ID = "bench-other-user";
const TASKS = 100_000;
const OTHER_TASKS = 20_000;
const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const WARMUP = 10;
const DEEP_TASKS = 1_000;

// The app's modules import without extensions, through the `@/` alias and `server-only`, as Next resolves them.
registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier === "server-only") return { url: "data:text/javascript,", shortCircuit: true };
    const parent = context.parentURL?.startsWith("file:") ? fileURLToPath(context.parentURL) : undefined;
    const base = specifier.startsWith("@/")
      ? path.join(ROOT, specifier.slice(2))
      : specifier.startsWith(".") && parent?.startsWith(path.join(ROOT, "lib"))
        ? path.resolve(path.dirname(parent), specifier)
        : undefined;
    if (base && !path.extname(base)) {
      for (const candidate of [`${base}.ts`, path.join(base, "index.ts")]) {
        if (existsSync(candidate)) return { url: pathToFileURL(candidate).href, shortCircuit: true };
      }
    }
    return nextResolve(specifier, context);
  },
});

const DATABASE_URL = process.env.DATABASE_URL;
if (!DATABASE_URL) {
  console.error("DATABASE_URL is not set: point it at a throwaway PostgreSQL database (it is migrated and seeded).");
  process.exit(2);
}
process.env.BETTER_AUTH_SECRET ??= "bench-only-secret-0123456789abcdef0123456789";

const LISTS = 50;
const TAGS = 200;

/**
 * The bench user's organised account: 50 lists (a tenth of the tasks in the Inbox), 200 tags (one to three per task
 * on two thirds of them), seven in ten tasks due within two months either side of today (a quarter at a time), all
 * four priorities. Ids come from md5 of the row number, so tags can be joined to tasks without a lookup.
 */
async function seed(client: pg.Client): Promise<void> {
  const { rows } = await client.query(
    `SELECT (SELECT count(*)::int FROM tasks WHERE user_id = $1) AS tasks,
            (SELECT count(*)::int FROM lists WHERE user_id = $1) AS lists,
            (SELECT max(due_date) > current_date FROM tasks WHERE user_id = $1) AS current`,
    [USER_ID],
  );
  if (rows[0].tasks === TASKS && rows[0].lists === LISTS && rows[0].current) {
    console.log(`Reusing the ${TASKS} seeded tasks of ${USER_ID}.`);
    return;
  }
  const started = performance.now();
  await client.query(`DELETE FROM "user" WHERE id IN ($1, $2)`, [USER_ID, OTHER_USER_ID]);
  for (const id of [USER_ID, OTHER_USER_ID]) {
    await client.query(
      `INSERT INTO "user" (id, name, email, "updatedAt") VALUES ($1, $1, $1 || '@bench.test', now())`,
      [id],
    );
  }
  // Base-62 fractional-index integer keys, "d" + 4 digits, as the migration gives existing tasks.
  const key = (n: string) => `'d' || substr(d, (${n}) / 238328 % 62 + 1, 1) || substr(d, (${n}) / 3844 % 62 + 1, 1)
               || substr(d, (${n}) / 62 % 62 + 1, 1) || substr(d, (${n}) % 62 + 1, 1)`;
  const digits = "(SELECT '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz' AS d) AS digits";
  // A version-4 UUID (version and variant digits set), as gen_random_uuid() makes and the API's schemas expect.
  const uuid = (kind: string, n: string) =>
    `overlay(overlay(md5($1 || '${kind}' || ${n}) placing '4' from 13) placing '8' from 17)::uuid`;
  await client.query(
    `INSERT INTO lists (id, name, name_key, position, user_id)
     SELECT ${uuid("list", "n")}, 'List ' || n, 'list ' || n, ${key("n")}, $1
     FROM generate_series(0, $2::int - 1) AS n, ${digits}`,
    [USER_ID, LISTS],
  );
  await client.query(
    `INSERT INTO tags (id, name, name_key, user_id)
     SELECT ${uuid("tag", "n")}, 'tag-' || n, 'tag-' || n, $1 FROM generate_series(0, $2::int - 1) AS n`,
    [USER_ID, TAGS],
  );
  // A minute between tasks, a third completed, ~0.5% mention "invoice".
  const insert = `
    INSERT INTO tasks (id, title, description, completed, created_at, updated_at, user_id, position, list_id,
                       due_date, due_time, priority)
    SELECT ${uuid("task", "i")},
           (ARRAY['Buy milk','Call mum','Water plants','Book dentist','Fix bike','Read chapter','Pay rent',
                  'Write report'])[1 + i % 8] || ' #' || i || CASE WHEN i % 200 = 7 THEN ' invoice' ELSE '' END,
           CASE WHEN i % 4 = 0 THEN NULL ELSE 'Note ' || md5(i::text) END,
           i % 3 = 0,
           timestamptz '2020-01-01' + i * interval '1 minute',
           timestamptz '2020-01-01' + i * interval '1 minute' + (i % 97) * interval '1 hour',
           $1,
           ${key("$2 - i")},
           CASE WHEN i % 10 = 0 OR $3::int = 0 THEN NULL ELSE ${uuid("list", "(i % $3::int)")} END,
           CASE WHEN i % 10 < 7 THEN current_date + (i % 121 - 60) END,
           CASE WHEN i % 10 < 7 AND i % 4 = 0 THEN make_time(i % 24, (i % 4) * 15, 0) END,
           (i * 7 % 11) % 4
    FROM generate_series(1, $2::int) AS i, ${digits}`;
  await client.query(insert, [USER_ID, TASKS, LISTS]);
  await client.query(insert, [OTHER_USER_ID, OTHER_TASKS, 0]);
  await client.query(
    `INSERT INTO task_tags (task_id, tag_id)
     SELECT DISTINCT ${uuid("task", "i")}, ${uuid("tag", "((i * k) % $3::int)")}
     FROM generate_series(1, $2::int) AS i, generate_series(1, 3) AS k
     WHERE i % 3 <> 0 AND k <= 1 + i % 3`,
    [USER_ID, TASKS, TAGS],
  );
  await client.query("ANALYZE");
  console.log(`Seeded ${TASKS} + ${OTHER_TASKS} tasks in ${Math.round(performance.now() - started)} ms.`);
}

/** Every query the app sends, so its plan can be shown exactly as it ran. */
const sent: pg.QueryConfig[] = [];
const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
const poolQuery = pool.query.bind(pool) as (config: pg.QueryConfig) => Promise<pg.QueryResult>;
pool.query = ((config: pg.QueryConfig) => {
  sent.push(config);
  return poolQuery(config);
}) as typeof pool.query;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

async function main(): Promise<void> {
  const applied = await applyMigrations(DATABASE_URL as string);
  if (applied.length > 0) console.log(`Applied migrations: ${applied.join(", ")}`);
  const admin = new pg.Client({ connectionString: DATABASE_URL });
  await admin.connect();
  try {
    await seed(admin);

    const { PrismaPg } = await import("@prisma/adapter-pg");
    const { PrismaClient } = await import("../lib/generated/prisma/client.ts");
    // lib/db.ts reuses the client it finds here, so the list function runs on the instrumented pool.
    (globalThis as { prismaClient?: unknown }).prismaClient = new PrismaClient({ adapter: new PrismaPg(pool) });
    const { listTaskPage, parseTaskListQuery } = await import("../lib/tasks/list.ts");

    const base = `http://bench.local/api/${USER_ID}/tasks`;
    const run = (query: string) => listTaskPage(USER_ID, parseTaskListQuery(`${base}?${query}`));

    let deepQuery = "limit=50";
    for (let seen = 0; seen < DEEP_TASKS; seen += 50) {
      const { nextCursor } = await run(deepQuery);
      deepQuery = `limit=50&cursor=${encodeURIComponent(nextCursor ?? "")}`;
    }

    const list = (await admin.query("SELECT id FROM lists WHERE user_id = $1 AND name = 'List 7'", [USER_ID])).rows[0]
      .id;
    const cases: [string, string][] = [
      ["first page (-created_at, 50)", "limit=50"],
      [`deep page (${DEEP_TASKS} tasks in)`, deepQuery],
      ["search q=invoice", "q=invoice"],
      ["filter completed=false", "completed=false"],
      ["sort=title, first page", "sort=title"],
      ["a list, sort=position", `list_id=${list}&sort=position`],
      ["view=today", "view=today&tz=Europe/Paris"],
      ["tag=tag-17", "tag=tag-17"],
      ["sort=due_date, first page", "sort=due_date"],
      ["sort=-priority, first page", "sort=-priority"],
    ];

    const results: { name: string; p50: number; p95: number; rows: number }[] = [];
    for (const [name, query] of cases) {
      const timings: number[] = [];
      let rows = 0;
      for (let i = 0; i < WARMUP + RUNS; i++) {
        const started = performance.now();
        const page = await run(query);
        if (i >= WARMUP) timings.push(performance.now() - started);
        rows = page.tasks.length;
      }
      timings.sort((a, b) => a - b);
      results.push({ name, p50: percentile(timings, 0.5) ?? 0, p95: percentile(timings, 0.95) ?? 0, rows });

      sent.length = 0;
      await run(query);
      // The page's own query (the tags of its tasks follow in a second one).
      const config = sent.find((query) => /FROM "public"\."tasks"/.test(query.text));
      if (!config) throw new Error("The list function sent no query");
      const plan = await admin.query({ text: `EXPLAIN (ANALYZE, BUFFERS) ${config.text}`, values: config.values });
      console.log(`\n=== ${name}: ?${query.length > 80 ? `${query.slice(0, 80)}…` : query}`);
      console.log(plan.rows.map((row) => row["QUERY PLAN"]).join("\n"));
    }

    console.log(`\n${RUNS} runs each (after ${WARMUP} warm-up runs), in-process listTaskPage(), milliseconds:`);
    console.log("case                              rows     p50     p95");
    for (const { name, p50, p95, rows } of results) {
      console.log(
        `${name.padEnd(32)} ${String(rows).padStart(5)} ${p50.toFixed(2).padStart(7)} ${p95.toFixed(2).padStart(7)}`,
      );
    }
  } finally {
    await admin.end();
    await (globalThis as { prismaClient?: { $disconnect(): Promise<void> } }).prismaClient?.$disconnect();
    await pool.end().catch(() => {});
  }
}

await main();
