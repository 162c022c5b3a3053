// Fixed answers of the same shape and about the same size as the app's (see toTaskJson in lib/tasks/repository.ts):
// what `npm run bench:http` seeds is a title "Bench task <n>", nothing else set.
export const USER_ID = "Bq3xT9kLmN2pR7sV4wY6zA8cE1gH5jK0";

export function task(n: number) {
  const hex = n.toString(16).padStart(12, "0");
  return {
    id: `5f0c2a8e-3b1d-4c7e-9a6f-${hex}`,
    title: `Bench task ${n}`,
    description: null,
    completed: false,
    created_at: "2026-12-02T06:50:46.123Z",
    updated_at: "2026-12-02T06:50:46.123Z",
    user_id: USER_ID,
    version: 1,
    list_id: null,
    due_date: null,
    due_time: null,
    priority: "none",
    position: "a0",
    tags: [],
  };
}

export const TASKS = Array.from({ length: 50 }, (_, i) => task(i + 1));

export const json = (body: unknown, status = 200) =>
  Response.json(body, { status, headers: { "Cache-Control": "no-store" } });
