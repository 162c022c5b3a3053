import { authorizeUser } from "@/lib/auth/bearer";
import { readJsonBody } from "@/lib/http/body";
import { json } from "@/lib/http/respond";
import { defineRoute } from "@/lib/http/route";
import { validate } from "@/lib/http/validate";
import { idempotent } from "@/lib/idempotency/idempotent";
import { chargeOperations, executeBatch } from "@/lib/tasks/batch";
import { BATCH_MAX_BODY_BYTES, BatchRequestShape } from "@/lib/tasks/batch-schema";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute<{ userId: string }>("/api/{userId}/tasks/batch", {
  async POST(request, { userId }) {
    await authorizeUser(request, userId);
    const body = await readJsonBody(request, BATCH_MAX_BODY_BYTES);
    const { operations, atomic } = validate(BatchRequestShape, body);
    await chargeOperations(userId, operations.length);
    return idempotent(request, userId, body, async () =>
      json({ results: await executeBatch(userId, operations, { atomic }) }),
    );
  },
});
