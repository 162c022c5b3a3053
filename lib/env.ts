import { z } from "zod";

const DEFAULT_CORS_ORIGINS = "http://localhost:3000,http://localhost:3001";

const originList = z
  .string()
  .default(DEFAULT_CORS_ORIGINS)
  .transform((value) =>
    value
      .split(",")
      .map((origin) => origin.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.url({ protocol: /^https?$/ }).transform((url) => new URL(url).origin)));

/** Where the client's address comes from; see lib/http/client-address.ts. */
export type ClientAddressSource =
  | { kind: "socket" }
  | { kind: "forwarded-for"; hops: number }
  | { kind: "header"; name: string };

const HEADER_NAME = /^[a-z0-9!#$%&'*+.^_`|~-]+$/;
const CLIENT_ADDRESS_FORMS =
  "must be socket, vercel, x-forwarded-for:<n> (n trusted proxies that append to it) or header:<name>";

const clientAddressSource = z.string().transform((value, context): ClientAddressSource => {
  const text = value.trim().toLowerCase();
  if (text === "socket") return { kind: "socket" };
  // Vercel's edge sets x-real-ip to the connecting client and overwrites any value a client sent.
  if (text === "vercel") return { kind: "header", name: "x-real-ip" };
  const forwarded = text.match(/^x-forwarded-for:([1-9]\d?)$/);
  if (forwarded) return { kind: "forwarded-for", hops: Number(forwarded[1]) };
  const header = text.match(/^header:(.+)$/);
  if (header?.[1] && HEADER_NAME.test(header[1])) return { kind: "header", name: header[1] };
  context.addIssue({ code: "custom", message: CLIENT_ADDRESS_FORMS });
  return z.NEVER;
});

/** A budget of requests per window: `300/60s`, `20/1m`, `1000/1h`; `off` disables it. */
type RateLimitSetting = { limit: number; windowMs: number } | "off";

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000 } as const;

const rateLimitSetting = z.string().transform((value, context): RateLimitSetting => {
  const text = value.trim().toLowerCase();
  if (text === "off") return "off";
  const match = text.match(/^(\d{1,9})\/(\d{1,6})(s|m|h)$/);
  const limit = Number(match?.[1]);
  const windowMs = Number(match?.[2]) * UNIT_MS[(match?.[3] ?? "s") as keyof typeof UNIT_MS];
  if (!match || limit < 1 || windowMs < 1_000 || windowMs > 86_400_000) {
    context.addIssue({
      code: "custom",
      message: "must be <requests>/<window>, e.g. 600/60s, 20/1m or 1000/1h, or off",
    });
    return z.NEVER;
  }
  return { limit, windowMs };
});

const onOff = z.enum(["on", "off"]);

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.url({
    protocol: /^postgres(ql)?$/,
    error: "must be a postgres:// connection string (run `npm run dev` to get an embedded database)",
  }),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  BETTER_AUTH_SECRET: z.string().min(32, "must be at least 32 characters (try `openssl rand -hex 32`)"),
  BETTER_AUTH_URL: z.url({ protocol: /^https?$/ }).default("http://localhost:3000"),
  CORS_ORIGINS: originList,
  CLIENT_ADDRESS_SOURCE: clientAddressSource.optional(),
  // Sign-in, sign-up and token limits per address and account; "off" is for test servers only.
  AUTH_RATE_LIMIT: onOff.default("on"),
  API_RATE_LIMIT: rateLimitSetting.default({ limit: 300, windowMs: 60_000 }),
  RATE_LIMIT_STORE: z.enum(["postgres", "redis"]).default("postgres"),
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: "must be a redis:// or rediss:// URL" }).optional(),
  REQUEST_LOG: onOff.default("on"),
  SLOW_QUERY_MS: z.coerce.number().int().min(0).default(500),
  // The live events' LISTEN connection (lib/changes/listener.ts): a direct one, not through a pooler such as
  // PgBouncer in transaction mode or Neon's -pooler host, which cannot hold a LISTEN. DATABASE_URL when unset.
  CHANGES_LISTEN_URL: z
    .url({ protocol: /^postgres(ql)?$/, error: "must be a postgres:// connection string (a direct one)" })
    .optional(),
  // How often open event streams re-read the feed without a notification (one missed, or none sent at all: PGlite).
  CHANGES_POLL_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  // The longest an event stream stays open before it ends and the client reconnects (a serverless function's limit).
  EVENTS_MAX_SECONDS: z.coerce.number().int().min(1).max(86_400).default(280),
  // Webhooks (lib/webhooks, docs/decisions/0021-webhooks.md): a failed delivery is retried after
  // WEBHOOK_RETRY_BASE_MS doubling up to WEBHOOK_RETRY_MAX_MS (with jitter) until WEBHOOK_RETRY_WINDOW_MS after its
  // event, then the endpoint is disabled. A long-running server looks for due retries every WEBHOOK_SWEEP_MS; on
  // Vercel, GET /api/cron/webhooks does, with `Authorization: Bearer $CRON_SECRET`. WEBHOOK_ALLOW_LOOPBACK=true lets
  // endpoints be http(s) on 127.0.0.1 or localhost: tests only.
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(1).max(3_600_000).default(10_000),
  WEBHOOK_RETRY_MAX_MS: z.coerce.number().int().min(1).max(86_400_000).default(3_600_000),
  WEBHOOK_RETRY_WINDOW_MS: z.coerce.number().int().min(1).max(604_800_000).default(86_400_000),
  WEBHOOK_SWEEP_MS: z.coerce.number().int().min(50).max(3_600_000).default(15_000),
  WEBHOOK_ALLOW_LOOPBACK: z
    .enum(["true", "false"])
    .default("false")
    .transform((value) => value === "true"),
  CRON_SECRET: z.string().min(16, "must be at least 16 characters (try `openssl rand -hex 32`)").optional(),
  // Set by scripts/start.ts, which puts the socket's address where the app reads it.
  TASKAPP_START_SCRIPT: z.literal("1").optional(),
  VERCEL: z.string().optional(),
});

type ParsedEnv = z.infer<typeof EnvSchema>;
export type Env = Omit<ParsedEnv, "CLIENT_ADDRESS_SOURCE"> & { CLIENT_ADDRESS_SOURCE: ClientAddressSource };

function fail(problems: string[]): never {
  throw new Error(`Invalid environment configuration:\n${problems.map((problem) => `  ${problem}`).join("\n")}`);
}

/** What production needs beyond the schema: explicit public settings, and a client address nobody can forge. */
function productionProblems(env: Env, source: NodeJS.ProcessEnv): string[] {
  const problems: string[] = [];
  if (source.BETTER_AUTH_URL === undefined) problems.push("BETTER_AUTH_URL: is not set (required in production)");
  if (source.CORS_ORIGINS === undefined) {
    problems.push("CORS_ORIGINS: is not set (required in production: the browser origins of your app, e.g. its URL)");
  }
  if (env.CLIENT_ADDRESS_SOURCE.kind === "socket" && !env.TASKAPP_START_SCRIPT && !env.VERCEL) {
    problems.push(
      "CLIENT_ADDRESS_SOURCE: is socket, but the server was not started with `npm start` (scripts/start.ts), which " +
        "is what makes the socket's address the client's; use `npm start`, or name your proxy's header",
    );
  }
  return problems;
}

export function parseEnv(source: NodeJS.ProcessEnv): Env {
  const result = EnvSchema.safeParse(source);
  if (!result.success) {
    fail(
      result.error.issues.map(
        (issue) => `${issue.path.join(".") || "(env)"}: ${issue.input === undefined ? "is not set" : issue.message}`,
      ),
    );
  }
  const parsed = result.data;
  const env: Env = {
    ...parsed,
    CLIENT_ADDRESS_SOURCE:
      parsed.CLIENT_ADDRESS_SOURCE ?? (parsed.VERCEL ? { kind: "header", name: "x-real-ip" } : { kind: "socket" }),
  };
  const problems = env.NODE_ENV === "production" ? productionProblems(env, source) : [];
  if (env.RATE_LIMIT_STORE === "redis" && !env.REDIS_URL)
    problems.push("REDIS_URL: is not set (RATE_LIMIT_STORE=redis)");
  if (problems.length > 0) fail(problems);
  return env;
}

let cached: Env | undefined;

/** The validated environment, read once on first use (not at import, so `next build` needs no secrets). */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
