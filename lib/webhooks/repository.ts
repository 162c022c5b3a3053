import "server-only";
import { randomUUID } from "node:crypto";
import { userGone } from "../auth/bearer";
import { encodeToken } from "../changes/token";
import { db, lockUsersCreations, transaction } from "../db";
import { env } from "../env";
import type { WebhookDelivery, WebhookEndpoint } from "../generated/prisma/client";
import { violatesForeignKey } from "../http/database-errors";
import { ApiError } from "../http/errors";
import { checkUrlShape, RefusedDestination, resolveChecked } from "./address";
import {
  type DeliveriesQuery,
  DeliveryId,
  type DeliveryJson,
  WEBHOOKS_PER_USER_MAX,
  type WebhookCreate,
  type WebhookCreatedJson,
  WebhookId,
  type WebhookJson,
  type WebhookPatch,
  type WebhookSecretJson,
} from "./schema";
import { encryptSecret, newSecret } from "./secret";

const webhookNotFound = () => new ApiError("not_found", "No webhook with this id exists for this user.");
const deliveryNotFound = () => new ApiError("not_found", "No delivery with this id exists for this webhook.");

const tooManyWebhooks = () =>
  new ApiError(
    "conflict",
    `You already have ${WEBHOOKS_PER_USER_MAX} webhooks, the most a user may have; delete one first.`,
  );

const refusedUrl = (why: string) =>
  new ApiError("validation_error", `The request body is invalid: url is not allowed: ${why}.`, {
    fields: [{ field: "url", message: `url is not allowed: ${why}` }],
  });

/**
 * The destination rules at registration: https, and a host that is no private, loopback or link-local address and
 * resolves to none (422 naming the address). Checked again at every delivery, against the address connected to.
 */
export async function assertDeliverableUrl(url: string, allowLoopback = env().WEBHOOK_ALLOW_LOOPBACK): Promise<void> {
  try {
    const host = checkUrlShape(new URL(url), allowLoopback);
    if (host !== undefined) await resolveChecked(host, allowLoopback);
  } catch (error) {
    if (error instanceof RefusedDestination) throw refusedUrl(error.message);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOTFOUND" || code === "ENODATA" || code === "EAI_AGAIN") {
      throw refusedUrl(`its host does not resolve (${code})`);
    }
    throw error;
  }
}

export function toWebhookJson(endpoint: WebhookEndpoint): WebhookJson {
  return {
    id: endpoint.id,
    url: endpoint.url,
    events: endpoint.events as WebhookJson["events"],
    description: endpoint.description,
    enabled: endpoint.enabled,
    disabled_reason: endpoint.disabledReason,
    disabled_at: endpoint.disabledAt?.toISOString() ?? null,
    created_at: endpoint.createdAt.toISOString(),
    updated_at: endpoint.updatedAt.toISOString(),
  };
}

export function toDeliveryJson(delivery: WebhookDelivery): DeliveryJson {
  return {
    id: delivery.id,
    event_id: encodeToken(delivery.seq),
    type: delivery.eventType as DeliveryJson["type"],
    state: delivery.state as DeliveryJson["state"],
    attempts: delivery.attempts,
    last_status: delivery.lastStatus,
    last_error: delivery.lastError,
    next_attempt_at: delivery.state === "pending" ? delivery.nextAttemptAt.toISOString() : null,
    created_at: delivery.createdAt.toISOString(),
    finished_at: delivery.finishedAt?.toISOString() ?? null,
  };
}

/** Ownership lives in each WHERE clause, so another user's webhook and a missing one look the same: 404. */
function ownedWebhook(userId: string, webhookId: string) {
  if (!WebhookId.safeParse(webhookId).success) throw webhookNotFound();
  return { id: webhookId, userId };
}

export function listWebhooks(userId: string): Promise<WebhookEndpoint[]> {
  return db().webhookEndpoint.findMany({ where: { userId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
}

export async function getWebhook(userId: string, webhookId: string): Promise<WebhookEndpoint> {
  const endpoint = await db().webhookEndpoint.findFirst({ where: ownedWebhook(userId, webhookId) });
  if (!endpoint) throw webhookNotFound();
  return endpoint;
}

/** A new endpoint and its secret, which this answer alone shows. At most WEBHOOKS_PER_USER_MAX per user (409). */
export async function createWebhook(userId: string, input: WebhookCreate): Promise<WebhookCreatedJson> {
  await assertDeliverableUrl(input.url);
  const secret = newSecret();
  const id = randomUUID();
  try {
    const endpoint = await transaction(async (tx) => {
      await lockUsersCreations(tx, "webhooks", userId);
      if ((await tx.webhookEndpoint.count({ where: { userId } })) >= WEBHOOKS_PER_USER_MAX) throw tooManyWebhooks();
      return tx.webhookEndpoint.create({
        data: { id, userId, ...input, secret: encryptSecret(secret, id) },
      });
    });
    return { ...toWebhookJson(endpoint), secret };
  } catch (error) {
    if (violatesForeignKey(error)) throw userGone();
    throw error;
  }
}

/** A change of url is checked as at creation; `enabled: true` clears why the server had disabled it. */
export async function updateWebhook(userId: string, webhookId: string, patch: WebhookPatch): Promise<WebhookEndpoint> {
  const where = ownedWebhook(userId, webhookId);
  if (patch.url !== undefined) await assertDeliverableUrl(patch.url);
  const reenable = patch.enabled === true ? { disabledReason: null, disabledAt: null } : {};
  const { count } = await db().webhookEndpoint.updateMany({
    where,
    data: { ...patch, ...reenable, updatedAt: new Date() },
  });
  if (count === 0) throw webhookNotFound();
  return getWebhook(userId, webhookId);
}

/** A new secret, shown once; the old one stops signing at once. */
export async function rollWebhookSecret(userId: string, webhookId: string): Promise<WebhookSecretJson> {
  const secret = newSecret();
  const { count } = await db().webhookEndpoint.updateMany({
    where: ownedWebhook(userId, webhookId),
    data: { secret: encryptSecret(secret, webhookId), updatedAt: new Date() },
  });
  if (count === 0) throw webhookNotFound();
  return { secret };
}

/** Deletes the endpoint with its deliveries: nothing more is sent to it. */
export async function deleteWebhook(userId: string, webhookId: string): Promise<void> {
  const { count } = await db().webhookEndpoint.deleteMany({ where: ownedWebhook(userId, webhookId) });
  if (count === 0) throw webhookNotFound();
}

/** The endpoint's latest deliveries, newest first. */
export async function listDeliveries(
  userId: string,
  webhookId: string,
  { limit }: DeliveriesQuery,
): Promise<WebhookDelivery[]> {
  const endpoint = ownedWebhook(userId, webhookId);
  const [owned, deliveries] = await db().$transaction([
    db().webhookEndpoint.count({ where: endpoint }),
    db().webhookDelivery.findMany({
      where: { endpointId: webhookId, userId },
      orderBy: [{ createdAt: "desc" }, { seq: "desc" }],
      take: limit,
    }),
  ]);
  if (owned === 0) throw webhookNotFound();
  return deliveries;
}

/**
 * Sends a delivery again, now, whatever its state: it is pending again, with a new retry window from now, and the
 * same id (a receiver that has it already can skip it). The endpoint must be enabled for it to go out.
 */
export async function redeliver(userId: string, webhookId: string, deliveryId: string): Promise<WebhookDelivery> {
  const endpoint = ownedWebhook(userId, webhookId);
  if (!DeliveryId.safeParse(deliveryId).success) throw deliveryNotFound();
  const where = { id: deliveryId, endpointId: endpoint.id, userId };
  // A sender holding a lease on it (in flight) no longer records its outcome: the delivery goes out again.
  await db().webhookDelivery.updateMany({
    where,
    data: { state: "pending", nextAttemptAt: new Date(), createdAt: new Date(), finishedAt: null, leaseId: null },
  });
  const delivery = await db().webhookDelivery.findFirst({ where });
  if (delivery) return delivery;
  const owned = (await db().webhookEndpoint.count({ where: endpoint })) > 0;
  throw owned ? deliveryNotFound() : webhookNotFound();
}
