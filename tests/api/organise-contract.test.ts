import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { openApiDocument } from "@/lib/openapi/document";
import { call } from "../support/app.ts";
import { DocumentChecker, observe } from "../support/openapi.ts";
import { createList, listPath, listsPath, tagNamed, tagPath, tagsPath } from "../support/organise.ts";
import { send } from "../support/requests.ts";
import { createTask } from "../support/tasks.ts";
import { type TestUser, twoUsers } from "../support/users.ts";

/**
 * Real answers of the list and tag routes, every status each can give, checked against the OpenAPI document with
 * the checker tests/api/contract.test.ts uses for the task routes.
 */

let checker: DocumentChecker;
let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
  checker = await DocumentChecker.create(openApiDocument());
  [alice, bob] = await twoUsers();
});

/** Each response has the status it was expected to have, and the document describes it (body and headers). */
async function expectDocumented(method: string, cases: [path: string, response: Response, status: number][]) {
  for (const [path, response, status] of cases) {
    const observed = await observe(response);
    expect(observed.status, `${method} ${path}: ${observed.body}`).toBe(status);
    expect(checker.problems(method, path, observed), `${method} ${path} → ${status}`).toEqual([]);
  }
}

const as = (user: TestUser | undefined, method: string, path: string, json?: unknown, headers = {}) =>
  call(method, path, { token: user?.token, json, headers });

describe("the list routes answer as the document says", () => {
  it("GET and POST /lists: 200, 201, 400, 401, 403, 409, 415, 422, 405", async () => {
    const path = listsPath(alice);
    await as(alice, "POST", path, { name: "Taken" });
    await expectDocumented("POST", [
      [path, await as(alice, "POST", path, { name: "Fresh" }), 201],
      [path, await as(alice, "POST", path, { name: "taken" }), 409],
      [path, await as(alice, "POST", path, { name: "", colour: "red" }), 422],
      [path, await send("POST", path, { token: alice.token, body: "{" }), 400],
      [path, await send("POST", path, { token: alice.token, body: "name=x", contentType: "text/plain" }), 415],
      [path, await as(undefined, "POST", path, { name: "Anonymous" }), 401],
    ]);
    await expectDocumented("GET", [
      [path, await as(alice, "GET", path), 200],
      [path, await as(bob, "GET", path), 403],
    ]);
    await expectDocumented("PUT", [[path, await as(alice, "PUT", path, { name: "x" }), 405]]);
  });

  it("GET, PATCH and DELETE /lists/{listId}: 200, 204, 304, 404, 409, 412, 422", async () => {
    const list = await createList(alice, "Chores");
    const other = await createList(alice, "Other");
    await createTask(alice, { title: "Sweep", list_id: list.id });
    const path = listPath(alice, list.id);
    const missing = listPath(alice, randomUUID());
    await expectDocumented("GET", [
      [path, await as(alice, "GET", path), 200],
      [path, await as(alice, "GET", path, undefined, { "If-None-Match": '"1"' }), 304],
      [missing, await as(alice, "GET", missing), 404],
    ]);
    await expectDocumented("PATCH", [
      [path, await as(alice, "PATCH", path, { name: "Housework" }, { "If-Match": '"1"' }), 200],
      [path, await as(alice, "PATCH", path, { name: "Again" }, { "If-Match": '"1"' }), 412],
      [path, await as(alice, "PATCH", path, { name: "other" }), 409],
      [path, await as(alice, "PATCH", path, {}), 422],
      [missing, await as(alice, "PATCH", missing, { name: "Gone" }), 404],
    ]);
    await expectDocumented("DELETE", [
      [path, await as(alice, "DELETE", path), 409],
      [`${path}?tasks=keep`, await as(alice, "DELETE", `${path}?tasks=keep`), 422],
      [`${path}?tasks=move`, await as(alice, "DELETE", `${path}?tasks=move`, undefined, { "If-Match": '"1"' }), 412],
      [`${path}?tasks=move`, await as(alice, "DELETE", `${path}?tasks=move`), 204],
      [path, await as(alice, "DELETE", path), 404],
      [listPath(alice, other.id), await as(alice, "DELETE", listPath(alice, other.id)), 204],
    ]);
  });

  it("POST /lists/{listId}/move: 200, 404, 412, 422, and 405 for GET", async () => {
    const [first, second] = [await createList(alice, "First"), await createList(alice, "Second")];
    const path = `${listPath(alice, second.id)}/move`;
    const missing = `${listPath(alice, randomUUID())}/move`;
    await expectDocumented("POST", [
      [path, await as(alice, "POST", path, { before: first.id }), 200],
      [path, await as(alice, "POST", path, { after: first.id }, { "If-Match": '"1"' }), 412],
      [path, await as(alice, "POST", path, { after: randomUUID() }), 422],
      [path, await as(alice, "POST", path, {}), 422],
      [missing, await as(alice, "POST", missing, { after: first.id }), 404],
    ]);
    await expectDocumented("GET", [[path, await as(alice, "GET", path), 405]]);
  });
});

describe("the tag routes answer as the document says", () => {
  it("GET /tags, and GET, PATCH, DELETE /tags/{tagId}: 200, 204, 403, 404, 409, 422, 405", async () => {
    await createTask(alice, { title: "Tagged", tags: ["errands", "garden"] });
    const errands = await tagNamed(alice, "errands");
    const path = tagPath(alice, errands.id);
    const missing = tagPath(alice, randomUUID());
    await expectDocumented("GET", [
      [tagsPath(alice), await as(alice, "GET", tagsPath(alice)), 200],
      [tagsPath(alice), await as(bob, "GET", tagsPath(alice)), 403],
      [path, await as(alice, "GET", path), 200],
      [missing, await as(alice, "GET", missing), 404],
    ]);
    await expectDocumented("PATCH", [
      [path, await as(alice, "PATCH", path, { name: "Errands" }), 200],
      [path, await as(alice, "PATCH", path, { name: "GARDEN" }), 409],
      [path, await as(alice, "PATCH", path, { name: "x".repeat(51) }), 422],
      [missing, await as(alice, "PATCH", missing, { name: "Ghost" }), 404],
    ]);
    await expectDocumented("DELETE", [
      [path, await as(alice, "DELETE", path), 204],
      [path, await as(alice, "DELETE", path), 404],
    ]);
    await expectDocumented("POST", [
      [tagsPath(alice), await as(alice, "POST", tagsPath(alice), { name: "new" }), 405],
      [missing, await as(alice, "POST", missing, {}), 405],
    ]);
  });
});
