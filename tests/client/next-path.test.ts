import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { safeNextPath } from "@/lib/client/next-path";

const SITE = "https://tasks.example";

describe("Where a sign-in may send the browser next", () => {
  it.each([
    ["/tasks", "/tasks"],
    ["/tasks?filter=active", "/tasks?filter=active"],
    ["/docs#listTasks", "/docs#listTasks"],
    ["/a/./b/../tasks", "/a/tasks"],
  ])("%s, a path of this site, is kept (as the browser resolves it: %s)", (next, expected) => {
    expect(safeNextPath(next)).toBe(expected);
  });

  it.each([
    "//evil.example",
    "https://evil.example",
    "/\\evil.example",
    "javascript:alert(1)",
    // Dot-segments that resolve to a protocol-relative URL, as found by the attack tests, and their relatives.
    "/..//evil.example",
    "/.//evil.example",
    "/./%2Fevil.example",
    "/.%2F%2Fevil.example",
    "/%2F%2Fevil.example",
    "/%5Cevil.example",
    "/%2e%2e//evil.example",
    "/a/../..//evil.example",
    "/./\\evil.example",
    // Not where a sign-in should land.
    "/sign-in",
    "/sign-up?next=/tasks",
    "/api/auth/sign-out",
    "/tasks\u0000",
    "\t/tasks",
    "tasks",
    "",
  ])("%j is refused", (next) => {
    expect(safeNextPath(next)).toBeUndefined();
  });

  it("whatever it is given, what it keeps is a path on this site, in the browser's resolution and after decoding", () => {
    const piece = fc.constantFrom(
      "/",
      ".",
      "..",
      "%2F",
      "%2f",
      "%2E",
      "%5C",
      "\\",
      "evil.example",
      "tasks",
      "?",
      "#",
      "@",
      ":",
    );
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 10 }).map((pieces) => `/${pieces.join("")}`),
        (next) => {
          const kept = safeNextPath(next);
          if (kept === undefined) return;
          const resolved = new URL(kept, SITE);
          expect(resolved.origin).toBe(SITE);
          expect(kept).toMatch(/^\/(?![/\\])/);
          expect(decodeURIComponent(resolved.pathname)).toMatch(/^\/(?![/\\])/);
          // Resolving what was kept again changes nothing: there is no second reading that leaves the site.
          expect(`${resolved.pathname}${resolved.search}${resolved.hash}`).toBe(kept);
        },
      ),
      { numRuns: 2_000, seed: 7 },
    );
  });
});
