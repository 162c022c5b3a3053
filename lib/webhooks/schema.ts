// Webhooks' shapes: endpoints, their deliveries, and what a delivery carries (docs/decisions/0021-webhooks.md).
// Client-safe: the settings page's form and client use them too.
import { z } from "zod";
import { ChangeEvent } from "../changes/schema";
import { text } from "../text-schema";

/** Endpoints per user: few enough that every write's fan-out stays small. */
export const WEBHOOKS_PER_USER_MAX = 10;
const WEBHOOK_URL_MAX_CHARS = 2048;
const WEBHOOK_DESCRIPTION_MAX_CHARS = 500;
/** An attempt's connection and answer together: a receiver that has not answered by then has failed it. */
export const SEND_TIMEOUT_MS = 10_000;
/** The deliveries route lists at most this many, newest first. */
export const DELIVERIES_MAX_LIMIT = 100;

export const WEBHOOK_EVENT_TYPES = [
  "task.upserted",
  "task.deleted",
  "list.upserted",
  "list.deleted",
  "tag.upserted",
  "tag.deleted",
] as const satisfies readonly ChangeEvent["type"][];

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Every type, now and later. */
const ALL_EVENTS = "*";

const eventsMessage = `events must be ["*"] or a list of ${WEBHOOK_EVENT_TYPES.join(", ")}`;

const WebhookEvents = z
  .array(z.enum([ALL_EVENTS, ...WEBHOOK_EVENT_TYPES], { error: eventsMessage }), { error: eventsMessage })
  .min(1, "events must name at least one event type (or *)")
  .max(WEBHOOK_EVENT_TYPES.length, eventsMessage)
  .refine((events) => new Set(events).size === events.length, "events must not repeat a type")
  .refine((events) => !events.includes(ALL_EVENTS) || events.length === 1, 'events: "*" stands alone')
  .meta({ description: '`["*"]` for every event type, or the types to receive.' });

/** Syntax only: https (http to a loopback host when WEBHOOK_ALLOW_LOOPBACK is on), no credentials, no fragment. */
const WebhookUrl = text("url", WEBHOOK_URL_MAX_CHARS, { trim: true })
  .pipe(z.url({ protocol: /^https?$/, error: "url must be an absolute https:// URL" }))
  .refine((url) => !/^[^:]+:\/\/[^/?#]*@/.test(url), "url must not carry a user name or password")
  .refine((url) => !url.includes("#"), "url must not carry a #fragment")
  .meta({
    description:
      "Where deliveries are POSTed: an absolute `https://` URL without credentials or fragment, whose host is not " +
      "and does not resolve to a private, loopback, link-local, unique-local, shared (CGNAT), multicast or " +
      "unspecified address (checked now and at every delivery). Redirects are not followed.",
    examples: ["https://example.com/hooks/tasks"],
  });

const WebhookDescription = text("description", WEBHOOK_DESCRIPTION_MAX_CHARS, { trim: true }).meta({
  description: `A note for you, up to ${WEBHOOK_DESCRIPTION_MAX_CHARS} characters.`,
});

/** `POST …/webhooks`. */
export const WebhookCreateInput = z.strictObject({
  url: WebhookUrl,
  events: WebhookEvents.default([ALL_EVENTS]),
  description: WebhookDescription.default(""),
  enabled: z.boolean({ error: "enabled must be true or false" }).default(true),
});

/** `PATCH …/webhooks/{webhookId}`: any non-empty subset; `enabled: true` turns a disabled endpoint back on. */
export const WebhookPatchInput = z
  .strictObject({
    url: WebhookUrl.optional(),
    events: WebhookEvents.optional(),
    description: WebhookDescription.optional(),
    enabled: z
      .boolean({ error: "enabled must be true or false" })
      .optional()
      .meta({ description: "`true` re-enables an endpoint (clearing `disabled_reason`); `false` pauses it." }),
  })
  .refine((patch) => Object.keys(patch).length > 0, "send at least one of url, events, description, enabled");

export const WebhookId = z.uuid();
export const DeliveryId = z.uuid();

export const WebhookJson = z.object({
  id: z.uuid(),
  url: z.string(),
  events: z.array(z.enum([ALL_EVENTS, ...WEBHOOK_EVENT_TYPES])),
  description: z.string(),
  enabled: z.boolean(),
  disabled_reason: z.string().nullable().meta({
    description:
      "Why the server turned the endpoint off (its deliveries kept failing for the retry window); else null.",
  }),
  disabled_at: z.iso.datetime().nullable(),
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
});

const Secret = z.string().meta({
  description:
    "The signing secret (`whsec_…`), shown only in this answer: keep it to verify `Tasks-Signature`. It cannot be " +
    "read again; roll it to get a new one.",
});

/** The answer to a creation: the endpoint, and its secret, shown this once. */
export const WebhookCreatedJson = WebhookJson.extend({ secret: Secret });
export const WebhookSecretJson = z.object({ secret: Secret });

const DELIVERY_STATES = ["pending", "succeeded", "failed"] as const;

export const DeliveryJson = z.object({
  id: z.uuid().meta({ description: "The delivery's id: the `Webhook-Id` header, the same on every retry." }),
  event_id: z.string(),
  type: z.enum(WEBHOOK_EVENT_TYPES),
  state: z.enum(DELIVERY_STATES).meta({
    description: "`pending` until a 2xx answer (`succeeded`) or the end of the retry window (`failed`).",
  }),
  attempts: z.number().int().min(0),
  last_status: z.number().int().nullable().meta({ description: "The HTTP status of the last attempt, if any." }),
  last_error: z.string().nullable().meta({ description: "Why the last attempt failed, if it did." }),
  next_attempt_at: z.iso.datetime().nullable().meta({ description: "When a pending delivery is tried next." }),
  created_at: z.iso.datetime(),
  finished_at: z.iso.datetime().nullable(),
});

export const DeliveriesQuery = z.object({
  limit: z
    .string()
    .regex(/^\d{1,3}$/, `limit must be 1–${DELIVERIES_MAX_LIMIT}`)
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(1, `limit must be 1–${DELIVERIES_MAX_LIMIT}`)
        .max(DELIVERIES_MAX_LIMIT, `limit must be 1–${DELIVERIES_MAX_LIMIT}`),
    )
    .default(20)
    .meta({ description: `How many deliveries, newest first: 1–${DELIVERIES_MAX_LIMIT} (default 20).` }),
});

/**
 * What a delivery POSTs: the feed's event (as `GET …/changes` lists it) and when it happened. Built per type, so a
 * receiver can switch on `type`, as the OpenAPI document's `webhooks` describe it.
 */
export const WebhookPayload = z.discriminatedUnion(
  "type",
  ChangeEvent.options.map((event) =>
    event.extend({
      occurred_at: z.iso.datetime().meta({ description: "When the change committed." }),
    }),
  ) as unknown as [z.ZodObject, ...z.ZodObject[]],
);

export type WebhookCreate = z.infer<typeof WebhookCreateInput>;
export type WebhookPatch = z.infer<typeof WebhookPatchInput>;
export type WebhookJson = z.infer<typeof WebhookJson>;
export type WebhookCreatedJson = z.infer<typeof WebhookCreatedJson>;
export type WebhookSecretJson = z.infer<typeof WebhookSecretJson>;
export type DeliveryJson = z.infer<typeof DeliveryJson>;
export type DeliveriesQuery = z.infer<typeof DeliveriesQuery>;
export type WebhookPayload = ChangeEvent & { occurred_at: string };
