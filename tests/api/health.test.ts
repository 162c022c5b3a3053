import { describe, expect, it } from "vitest";
import { call } from "../support/app.ts";
import { expectError } from "../support/tasks.ts";

// What the health check answers while the database is down, and how fast, is tested against real servers and a
// broken database in tests/http/database-outage.test.ts.
describe("A load balancer checks the service's health", () => {
  it("GET /api/health answers 200 {status: ok, database: ok}, never cached", async () => {
    const response = await call("GET", "/api/health");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok", database: "ok" });
    expect(response.headers.get("cache-control")).toBe("no-store");
  });

  it("other methods on /api/health are 405 method_not_allowed with an Allow header", async () => {
    const response = await call("POST", "/api/health", { json: {} });
    await expectError(response, 405, "method_not_allowed");
    expect(response.headers.get("allow")).toContain("GET");
  });
});
