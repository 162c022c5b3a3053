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
  // Sign-in and sign-up are rate-limited per client address in production; "off" is for test servers only.
  AUTH_RATE_LIMIT: z.enum(["on", "off"]).default("on"),
});

export type Env = z.infer<typeof EnvSchema>;

export function parseEnv(source: NodeJS.ProcessEnv): Env {
  const result = EnvSchema.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `  ${issue.path.join(".") || "(env)"}: ${issue.input === undefined ? "is not set" : issue.message}`,
    );
    throw new Error(`Invalid environment configuration:\n${problems.join("\n")}`);
  }
  if (result.data.NODE_ENV === "production" && source.BETTER_AUTH_URL === undefined) {
    throw new Error("Invalid environment configuration:\n  BETTER_AUTH_URL: is not set (required in production)");
  }
  return result.data;
}

let cached: Env | undefined;

/** The validated environment, read once on first use (not at import, so `next build` needs no secrets). */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
