import { beforeAll, describe, expect, it } from "vitest";
import { openApiDocument } from "@/lib/openapi/document";
import { call } from "../support/app.ts";
import { createList, tagNamed } from "../support/organise.ts";
import { createPersonalToken, READ, READ_WRITE } from "../support/personal-tokens.ts";
import { createTask, expectError, expectJson, taskPath } from "../support/tasks.ts";
import { signUp, type TestUser } from "../support/users.ts";

// Every operation the OpenAPI document says takes a personal token, taken from the document itself, so a route added
// later is covered here without anyone remembering to: a read-only token reads and is refused every write (and the
// write changes nothing); a read & write token does both.

type Operation = { operationId: string; security?: Record<string, string[]>[] };
type PersonalOperation = { method: string; template: string; operationId: string; scope: string };

function personalOperations(): PersonalOperation[] {
  const paths = openApiDocument().paths as Record<string, Record<string, Operation>>;
  return Object.entries(paths).flatMap(([template, item]) =>
    Object.entries(item).flatMap(([method, operation]) => {
      const scope = operation.security?.find((requirement) => "personalAccessToken" in requirement)
        ?.personalAccessToken?.[0];
      return scope ? [{ method: method.toUpperCase(), template, operationId: operation.operationId, scope }] : [];
    }),
  );
}

/** The objects a request acts on, fresh for each, so that one operation's write is not another's 404. */
async function freshObjects(user: TestUser) {
  const list = await createList(user, `List ${crypto.randomUUID()}`);
  const otherList = await createList(user, `Other ${crypto.randomUUID()}`);
  const tagName = `tag-${crypto.randomUUID().slice(0, 8)}`;
  const task = await createTask(user, { title: "Scoped", tags: [tagName] });
  const tag = await tagNamed(user, tagName);
  return { task, list, otherList, tag };
}

type Objects = Awaited<ReturnType<typeof freshObjects>>;

/** A valid body for each write, so a token allowed to write gets a 2xx. A write the test does not know fails it. */
const BODIES: Record<string, (objects: Objects) => unknown> = {
  createTask: () => ({ title: "From a script" }),
  replaceTask: () => ({ title: "Replaced", description: null, completed: false }),
  updateTask: () => ({ completed: true }),
  deleteTask: () => undefined,
  moveTask: ({ list }) => ({ list_id: list.id }),
  updateSettings: () => ({ time_zone: "Europe/Paris" }),
  createList: () => ({ name: `New ${crypto.randomUUID()}` }),
  renameList: () => ({ name: `Renamed ${crypto.randomUUID()}` }),
  deleteList: () => undefined,
  moveList: ({ otherList }) => ({ after: otherList.id }),
  renameTag: () => ({ name: `renamed-${crypto.randomUUID().slice(0, 8)}` }),
  deleteTag: () => undefined,
  batchTasks: ({ task }) => ({ operations: [{ op: "update", id: task.id, body: { completed: true } }] }),
  importAccount: ({ task }) => ({
    format: "taskapp-export",
    version: 1,
    exported_at: new Date().toISOString(),
    lists: [],
    tags: [],
    tasks: [{ ...task, list_id: null, tags: [] }],
  }),
};

function pathOf(template: string, user: TestUser, { task, list, tag }: Objects): string {
  return template
    .replace("{userId}", user.id)
    .replace("{taskId}", task.id)
    .replace("{listId}", list.id)
    .replace("{tagId}", tag.id);
}

async function send(operation: PersonalOperation, user: TestUser, secret: string, objects: Objects) {
  const body = BODIES[operation.operationId]?.(objects);
  const response = await call(operation.method, pathOf(operation.template, user, objects), {
    token: secret,
    ...(body === undefined ? {} : { json: body }),
  });
  // The event stream stays open: its status is what counts here.
  if (operation.operationId !== "streamChanges") return response;
  await response.body?.cancel();
  return new Response(null, { status: response.status, headers: response.headers });
}

const operations = personalOperations();
const reads = operations.filter((operation) => operation.method === "GET");
const writes = operations.filter((operation) => operation.method !== "GET");

let alice: TestUser;
let readOnly: string;
let readWrite: string;

beforeAll(async () => {
  alice = await signUp("Alice");
  readOnly = (await createPersonalToken(alice, { name: "read", scope: READ })).secret;
  readWrite = (await createPersonalToken(alice, { name: "write", scope: READ_WRITE })).secret;
});

describe("A personal token's scope, on every operation of the document", () => {
  it("covers the whole task API: every operation taking the JWT takes a personal token, reads with tasks:read", () => {
    expect(reads.length).toBeGreaterThanOrEqual(9);
    expect(writes.length).toBeGreaterThanOrEqual(12);
    for (const operation of reads) expect(operation.scope, operation.operationId).toBe("tasks:read");
    for (const operation of writes) {
      expect(operation.scope, operation.operationId).toBe("tasks:write");
      expect(Object.keys(BODIES), `a body for ${operation.operationId}`).toContain(operation.operationId);
    }
    const paths = openApiDocument().paths as Record<string, Record<string, Operation>>;
    const jwtOnly = Object.values(paths).flatMap((item) =>
      Object.values(item).filter(
        (operation) =>
          operation.security?.some((requirement) => "bearerAuth" in requirement) &&
          !operation.security.some((requirement) => "personalAccessToken" in requirement),
      ),
    );
    // Managing tokens and webhooks: a personal token must not mint tokens or send the account's events elsewhere.
    expect(jwtOnly.map((operation) => operation.operationId).sort()).toEqual([
      "createPersonalToken",
      "createWebhook",
      "deleteWebhook",
      "getPersonalToken",
      "getWebhook",
      "listPersonalTokens",
      "listWebhookDeliveries",
      "listWebhooks",
      "redeliverWebhook",
      "revokePersonalToken",
      "rollWebhookSecret",
      "updateWebhook",
    ]);
  });

  it.each(reads.map((operation) => [operation.operationId, operation] as const))(
    "%s: a read-only token reads (2xx)",
    async (_, operation) => {
      const response = await send(operation, alice, readOnly, await freshObjects(alice));
      expect(response.status, await response.clone().text()).toBeGreaterThanOrEqual(200);
      expect(response.status).toBeLessThan(300);
    },
  );

  it.each(writes.map((operation) => [operation.operationId, operation] as const))(
    "%s: a read-only token is refused (403 insufficient_scope) and nothing changes; a read & write token writes",
    async (_, operation) => {
      const objects = await freshObjects(alice);
      const refused = await send(operation, alice, readOnly, objects);
      expect(refused.headers.get("www-authenticate")).toMatch(/error="insufficient_scope".*scope="tasks:write"/);
      const error = await expectError(refused, 403, "insufficient_scope");
      expect(error.detail).toContain("tasks:write");
      const task = await expectJson<{ version: number; completed: boolean }>(
        await call("GET", taskPath(alice, objects.task.id), { token: alice.token }),
        200,
      );
      expect(task).toMatchObject({ version: 1, completed: false });

      const written = await send(operation, alice, readWrite, objects);
      expect(written.status, await written.clone().text()).toBeGreaterThanOrEqual(200);
      expect(written.status).toBeLessThan(300);
    },
  );
});
