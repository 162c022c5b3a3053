import { json, TASKS, task } from "../../../../fixture";

export const dynamic = "force-dynamic";

export function GET() {
  return json(TASKS);
}

export async function POST(request: Request) {
  const body = (await request.json()) as { title?: string };
  return json({ ...task(1), title: body.title ?? "" }, 201);
}
