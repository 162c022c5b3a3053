import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";

const PRODUCTION = {
  NODE_ENV: "production",
  DATABASE_URL: "postgres://app@db.example/tasks",
  BETTER_AUTH_SECRET: "0123456789abcdef0123456789abcdef",
  BETTER_AUTH_URL: "https://tasks.example",
  CORS_ORIGINS: "https://tasks.example",
  TASKAPP_START_SCRIPT: "1",
} as const;

describe("The configuration a production server refuses to start without", () => {
  it("starts with every required setting", () => {
    const env = parseEnv({ ...PRODUCTION });
    expect(env.CORS_ORIGINS).toEqual(["https://tasks.example"]);
    expect(env.CLIENT_ADDRESS_SOURCE).toEqual({ kind: "socket" });
    expect(env.API_RATE_LIMIT).toEqual({ limit: 300, windowMs: 60_000 });
  });

  it("refuses to start without CORS_ORIGINS instead of trusting localhost origins", () => {
    const { CORS_ORIGINS: _, ...rest } = PRODUCTION;
    expect(() => parseEnv(rest)).toThrow(/CORS_ORIGINS: is not set/);
  });

  it("refuses the socket's address as the client's unless the start script put it there", () => {
    const { TASKAPP_START_SCRIPT: _, ...rest } = PRODUCTION;
    expect(() => parseEnv(rest)).toThrow(/CLIENT_ADDRESS_SOURCE: is socket/);
    expect(parseEnv({ ...rest, CLIENT_ADDRESS_SOURCE: "x-forwarded-for:1" }).CLIENT_ADDRESS_SOURCE).toEqual({
      kind: "forwarded-for",
      hops: 1,
    });
  });

  it("on Vercel, trusts Vercel's x-real-ip by default", () => {
    const { TASKAPP_START_SCRIPT: _, ...rest } = PRODUCTION;
    expect(parseEnv({ ...rest, VERCEL: "1" }).CLIENT_ADDRESS_SOURCE).toEqual({ kind: "header", name: "x-real-ip" });
  });

  it.each([
    ["CLIENT_ADDRESS_SOURCE", "x-forwarded-for"],
    ["CLIENT_ADDRESS_SOURCE", "header:bad header"],
    ["API_RATE_LIMIT", "600"],
    ["API_RATE_LIMIT", "0/60s"],
    ["API_RATE_LIMIT", "10/0s"],
    ["RATE_LIMIT_STORE", "memory"],
  ])("names %s=%s as the problem", (name, value) => {
    expect(() => parseEnv({ ...PRODUCTION, [name]: value })).toThrow(new RegExp(`${name}: `));
  });

  it("asks for REDIS_URL when the rate limits live in Redis", () => {
    expect(() => parseEnv({ ...PRODUCTION, RATE_LIMIT_STORE: "redis" })).toThrow(/REDIS_URL: is not set/);
    expect(parseEnv({ ...PRODUCTION, RATE_LIMIT_STORE: "redis", REDIS_URL: "redis://cache:6379" }).REDIS_URL).toBe(
      "redis://cache:6379",
    );
  });

  it("reads rate limits as requests per window, or off", () => {
    expect(parseEnv({ ...PRODUCTION, API_RATE_LIMIT: "20/1m" }).API_RATE_LIMIT).toEqual({
      limit: 20,
      windowMs: 60_000,
    });
    expect(parseEnv({ ...PRODUCTION, API_RATE_LIMIT: "1000/1h" }).API_RATE_LIMIT).toEqual({
      limit: 1000,
      windowMs: 3_600_000,
    });
    expect(parseEnv({ ...PRODUCTION, API_RATE_LIMIT: "off" }).API_RATE_LIMIT).toBe("off");
  });
});
