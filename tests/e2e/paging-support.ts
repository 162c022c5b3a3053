import type { APIResponse, Page } from "@playwright/test";
import { expect } from "./support";

/** The signed-in user's id and a task-API token, fetched with the page's session cookie. */
export async function apiSession(page: Page): Promise<{ userId: string; token: string }> {
  const session = await page.request.get("/api/auth/get-session");
  expect(session.ok()).toBe(true);
  const { user } = (await session.json()) as { user: { id: string } };
  const tokenResponse = await page.request.get("/api/auth/token");
  expect(tokenResponse.ok()).toBe(true);
  const { token } = (await tokenResponse.json()) as { token: string };
  return { userId: user.id, token };
}

export type ApiTask = { id: string; title: string; description: string | null; completed: boolean };

/** A client of the task API behind the page's back (another device, a script): same user, its own requests. */
export async function taskApi(page: Page) {
  const { userId, token } = await apiSession(page);
  const base = `/api/${encodeURIComponent(userId)}/tasks`;
  const headers = { Authorization: `Bearer ${token}` };
  const json = async (response: APIResponse, status: number) => {
    expect(response.status(), await response.text()).toBe(status);
    return (await response.json()) as ApiTask;
  };
  return {
    userId,
    create: async (input: { title: string; description?: string; completed?: boolean }) =>
      json(await page.request.post(base, { headers, data: input }), 201),
    patch: async (taskId: string, patch: Partial<Omit<ApiTask, "id">>) =>
      json(await page.request.patch(`${base}/${taskId}`, { headers, data: patch }), 200),
    remove: async (taskId: string) => {
      const response = await page.request.delete(`${base}/${taskId}`, { headers });
      expect(response.status(), await response.text()).toBe(204);
    },
  };
}

/** Creates `count` tasks titled `${prefix} 1` … `${prefix} count`, oldest first (so the last is listed first). */
export async function createTasks(page: Page, prefix: string, count: number): Promise<ApiTask[]> {
  const api = await taskApi(page);
  const created: ApiTask[] = [];
  // One after another: each gets a later created_at, so the list's newest-first order is predictable.
  for (let n = 1; n <= count; n++) created.push(await api.create({ title: `${prefix} ${n}` }));
  return created;
}
