import { afterEach, beforeEach } from "vitest";

// A test fails when the code under test writes an unexpected console.error: an error log is a bug report.
// A test that provokes one on purpose says so with allowConsoleError.

const original = console.error;
let calls: unknown[][] = [];
let allowed: RegExp[] = [];

/** This test expects console.error output matching the pattern (e.g. a deliberate 500). */
export function allowConsoleError(pattern: RegExp): void {
  allowed.push(pattern);
}

beforeEach(() => {
  calls = [];
  allowed = [];
  console.error = (...args: unknown[]) => {
    calls.push(args);
    original(...args);
  };
});

afterEach(() => {
  console.error = original;
  const unexpected = calls
    .map((args) => args.map((arg) => (arg instanceof Error ? (arg.stack ?? arg.message) : String(arg))).join(" "))
    .filter((text) => !allowed.some((pattern) => pattern.test(text)));
  if (unexpected.length > 0) throw new Error(`Unexpected console.error:\n${unexpected.join("\n")}`);
});
