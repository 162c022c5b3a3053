import { expect, it, vi } from "vitest";

// The wasm schema engine's glue is shared by the whole process; a second evaluation of scripts/migrations.ts
// (vitest's resetModules, as a test may use) must not instantiate the engine a second time.
it("the migration tools still work after the module registry is reset", async () => {
  const first = await import("../../scripts/migrations.ts");
  expect(await first.diffMigrationsToSchema()).toBe("");
  vi.resetModules();
  const second = await import("../../scripts/migrations.ts");
  expect(await second.diffMigrationsToSchema()).toBe("");
}, 120_000);
