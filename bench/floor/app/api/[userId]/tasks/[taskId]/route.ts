import { json, task } from "../../../../../fixture";

export const dynamic = "force-dynamic";

export function GET() {
  return json(task(1));
}

export async function PATCH(request: Request) {
  const body = (await request.json()) as { completed?: boolean };
  return json({ ...task(1), completed: body.completed ?? false, version: 2 });
}

export function DELETE() {
  return new Response(null, { status: 204 });
}
