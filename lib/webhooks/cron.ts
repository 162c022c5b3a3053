import "server-only";
import { timingSafeEqual } from "node:crypto";
import { unauthorized } from "../auth/bearer";
import { env } from "../env";
import { type DispatchResult, sendDueDeliveries } from "./dispatcher";

/** The cron route stops claiming new deliveries after this, so it ends within its function's time. */
const CRON_BUDGET_MS = 45_000;

/** `Authorization: Bearer $CRON_SECRET`, as Vercel Cron sends it; without CRON_SECRET set, nobody may call it. */
function authorizeCron(request: Request): void {
  const secret = env().CRON_SECRET;
  const presented = request.headers.get("authorization") ?? "";
  const expected = `Bearer ${secret}`;
  const ok =
    secret !== undefined &&
    presented.length === expected.length &&
    timingSafeEqual(Buffer.from(presented), Buffer.from(expected));
  if (!ok) throw unauthorized("This route takes Authorization: Bearer <CRON_SECRET>.", presented !== "");
}

/** `GET /api/cron/webhooks`: sends the due deliveries (retries, and any a kick missed) and says how many. */
export async function runWebhookCron(request: Request): Promise<DispatchResult> {
  authorizeCron(request);
  return sendDueDeliveries({ deadline: Date.now() + CRON_BUDGET_MS });
}
