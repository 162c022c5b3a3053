// Webhooks: the routes that manage a user's endpoints and show their deliveries, the cron route that sends retries,
// and what a delivery POSTs to an endpoint (the document's top-level `webhooks`, one per event type).
import type { z } from "zod";
import {
  DELIVERIES_MAX_LIMIT,
  DeliveriesQuery,
  DeliveryId,
  DeliveryJson,
  SEND_TIMEOUT_MS,
  WEBHOOK_EVENT_TYPES,
  WEBHOOKS_PER_USER_MAX,
  WebhookCreatedJson,
  WebhookCreateInput,
  WebhookId,
  WebhookJson,
  WebhookPatchInput,
  WebhookPayload,
  WebhookSecretJson,
} from "../webhooks/schema";
import { SIGNATURE_HEADER } from "../webhooks/signature";
import { DATA_REFS } from "./change-paths";
import { jsonSchemaOf } from "./json-schema";
import {
  apiResponse,
  BODY_ERRORS,
  COMMON_HEADERS,
  errorResponses,
  type Json,
  json,
  preflight,
  queryParameters,
  ref,
  requestBody,
  SERVER_ERRORS,
  SIGNED_IN,
  TOKEN_ERRORS,
} from "./parts";

const TAG = ["Webhooks"];

export function webhookSchemas(): Json {
  return {
    Webhook: { ...jsonSchemaOf(WebhookJson, "output"), description: "A webhook endpoint (never its secret)." },
    WebhookCreated: {
      ...jsonSchemaOf(WebhookCreatedJson, "output"),
      description: "The new endpoint, with its signing secret: the only answer that shows it.",
    },
    WebhookCreate: jsonSchemaOf(WebhookCreateInput, "input"),
    WebhookPatch: jsonSchemaOf(WebhookPatchInput, "input"),
    WebhookSecret: { ...jsonSchemaOf(WebhookSecretJson, "output"), description: "A new signing secret, shown once." },
    WebhookDelivery: {
      ...jsonSchemaOf(DeliveryJson, "output"),
      description: "One event's delivery to one endpoint, and how its attempts went.",
    },
  };
}

const idParameter = (name: string, what: string, schema: z.ZodType) => ({
  name,
  in: "path",
  required: true,
  description: `The ${what}'s \`id\`. Anything that is not one of yours, a string that is no UUID included, is a 404.`,
  schema: jsonSchemaOf(schema, "input"),
});

const WEBHOOK_ID = idParameter("webhookId", "webhook", WebhookId);
const DELIVERY_ID = idParameter("deliveryId", "delivery", DeliveryId);
const NO_STORE = { "Cache-Control": ref("headers", "NoStore") };

const secretResponse = (description: string, schemaName: string, headers: Json = {}) => {
  const response = apiResponse(description, ref("schemas", schemaName));
  return { ...response, headers: { ...(response.headers as Json), ...NO_STORE, ...headers } };
};

const ONE_WEBHOOK_ERRORS = [...TOKEN_ERRORS, "not_found" as const, ...SERVER_ERRORS];

export function webhookPaths(): Json {
  const one = [ref("parameters", "UserId"), WEBHOOK_ID];
  return {
    "/api/{userId}/webhooks": {
      parameters: [ref("parameters", "UserId")],
      get: {
        operationId: "listWebhooks",
        tags: TAG,
        summary: "List the webhook endpoints",
        description: `All the user's endpoints (at most ${WEBHOOKS_PER_USER_MAX}), oldest first.`,
        security: SIGNED_IN,
        responses: {
          200: apiResponse("The endpoints: a JSON array (possibly empty).", {
            type: "array",
            maxItems: WEBHOOKS_PER_USER_MAX,
            items: ref("schemas", "Webhook"),
          }),
          ...errorResponses([...TOKEN_ERRORS, ...SERVER_ERRORS], "api"),
        },
      },
      post: {
        operationId: "createWebhook",
        tags: TAG,
        summary: "Register a webhook endpoint",
        description:
          "From now on, each event of the change feed whose type the endpoint subscribes to is POSTed to it (see " +
          "`webhooks`). The answer carries the signing secret, shown only here. The url is refused (422 naming " +
          "`url`) when it is not https, or its host is or resolves to an address that is not public. A user has " +
          `at most ${WEBHOOKS_PER_USER_MAX} endpoints: one more is a 409 \`conflict\`. Takes no \`Idempotency-Key\` (a ` +
          "kept answer would keep the secret).",
        security: SIGNED_IN,
        requestBody: requestBody("WebhookCreate", "The endpoint."),
        responses: {
          201: secretResponse("The new endpoint and its secret.", "WebhookCreated", {
            Location: ref("headers", "Location"),
          }),
          ...errorResponses([...TOKEN_ERRORS, ...BODY_ERRORS, "conflict", ...SERVER_ERRORS], "api"),
        },
      },
      options: preflight("preflightWebhooks", "CORS preflight of the webhooks", ["invalid_path"]),
    },
    "/api/{userId}/webhooks/{webhookId}": {
      parameters: one,
      get: {
        operationId: "getWebhook",
        tags: TAG,
        summary: "Get a webhook endpoint",
        security: SIGNED_IN,
        responses: {
          200: apiResponse("The endpoint.", ref("schemas", "Webhook")),
          ...errorResponses(ONE_WEBHOOK_ERRORS, "api"),
        },
      },
      patch: {
        operationId: "updateWebhook",
        tags: TAG,
        summary: "Change, pause or re-enable a webhook endpoint",
        description:
          "A new url is checked as at registration. `enabled: true` turns on an endpoint the server disabled after " +
          "its deliveries kept failing (clearing `disabled_reason`); events from then on are delivered.",
        security: SIGNED_IN,
        requestBody: requestBody("WebhookPatch", "The fields to change."),
        responses: {
          200: apiResponse("The endpoint as changed.", ref("schemas", "Webhook")),
          ...errorResponses([...TOKEN_ERRORS, ...BODY_ERRORS, "not_found", ...SERVER_ERRORS], "api"),
        },
      },
      delete: {
        operationId: "deleteWebhook",
        tags: TAG,
        summary: "Delete a webhook endpoint",
        description: "With its deliveries: nothing more is sent to it.",
        security: SIGNED_IN,
        responses: { 204: apiResponse("Deleted: no body."), ...errorResponses(ONE_WEBHOOK_ERRORS, "api") },
      },
      options: preflight("preflightWebhook", "CORS preflight of a webhook", ["invalid_path"]),
    },
    "/api/{userId}/webhooks/{webhookId}/secret": {
      parameters: one,
      post: {
        operationId: "rollWebhookSecret",
        tags: TAG,
        summary: "Roll a webhook endpoint's signing secret",
        description:
          "A new secret, shown only in this answer; deliveries are signed with it from now on. Takes no " +
          "`Idempotency-Key` (a kept answer would keep the secret).",
        security: SIGNED_IN,
        responses: {
          200: secretResponse("The new secret.", "WebhookSecret"),
          ...errorResponses(ONE_WEBHOOK_ERRORS, "api"),
        },
      },
      options: preflight("preflightWebhookSecret", "CORS preflight of a webhook's secret", ["invalid_path"]),
    },
    "/api/{userId}/webhooks/{webhookId}/deliveries": {
      parameters: one,
      get: {
        operationId: "listWebhookDeliveries",
        tags: TAG,
        summary: "List an endpoint's recent deliveries",
        description:
          `The latest deliveries to the endpoint, newest first (at most ${DELIVERIES_MAX_LIMIT}), each with its ` +
          "state, how many attempts it took, the last status code or error, and when a pending one is tried next. " +
          "Deliveries are kept as long as their events (30 days).",
        security: SIGNED_IN,
        parameters: queryParameters(DeliveriesQuery),
        responses: {
          200: apiResponse("The deliveries.", {
            type: "array",
            maxItems: DELIVERIES_MAX_LIMIT,
            items: ref("schemas", "WebhookDelivery"),
          }),
          ...errorResponses([...TOKEN_ERRORS, "validation_error", "not_found", ...SERVER_ERRORS], "api"),
        },
      },
      options: preflight("preflightWebhookDeliveries", "CORS preflight of a webhook's deliveries", ["invalid_path"]),
    },
    "/api/{userId}/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver": {
      parameters: [...one, DELIVERY_ID],
      post: {
        operationId: "redeliverWebhook",
        tags: TAG,
        summary: "Send a delivery again",
        description:
          "Makes the delivery pending now, whatever its state, with its retry window counted from now and the same " +
          "id (`Webhook-Id`), so a receiver that handled it can tell. It goes out while the endpoint is enabled.",
        security: SIGNED_IN,
        responses: {
          202: apiResponse("The delivery, pending.", ref("schemas", "WebhookDelivery")),
          ...errorResponses(ONE_WEBHOOK_ERRORS, "api"),
        },
      },
      options: preflight("preflightRedeliver", "CORS preflight of a redelivery", ["invalid_path"]),
    },
    "/api/cron/webhooks": {
      get: {
        operationId: "sendDueWebhooks",
        tags: ["Service"],
        summary: "Send due webhook deliveries (the scheduled job)",
        description:
          "For a scheduler (Vercel Cron, per `vercel.json`): sends the deliveries that are due (retries, and any " +
          "missed), for at most about 45 s, and says how many went out. Authorized by `Authorization: Bearer " +
          "<CRON_SECRET>` (the server's setting); without CRON_SECRET set it refuses every caller.",
        security: [{ cronSecret: [] }],
        responses: {
          200: {
            description: "How many deliveries succeeded and how many attempts failed in this run.",
            headers: { ...COMMON_HEADERS, ...NO_STORE },
            content: json({
              type: "object",
              required: ["sent", "failed"],
              additionalProperties: false,
              properties: { sent: { type: "integer", minimum: 0 }, failed: { type: "integer", minimum: 0 } },
            }),
          },
          ...errorResponses(["invalid_request", "invalid_token", ...SERVER_ERRORS], "service"),
        },
      },
      options: preflight("preflightCronWebhooks", "CORS preflight of the scheduled job", []),
    },
  };
}

const header = (name: string, description: string, schema: Json) => ({
  name,
  in: "header",
  required: true,
  description,
  schema,
});

const DELIVERY_HEADERS = [
  header(
    "Webhook-Id",
    "The delivery's id, the same on every retry of it: deliveries are at least once, so skip an id you have handled.",
    { type: "string", format: "uuid" },
  ),
  header("Webhook-Timestamp", "When this attempt was signed, in Unix seconds.", { type: "string", pattern: "^\\d+$" }),
  header("Webhook-Event", "The event's `type`.", { type: "string", enum: [...WEBHOOK_EVENT_TYPES] }),
  header(
    SIGNATURE_HEADER,
    '`t=<Webhook-Timestamp>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" keyed with the endpoint\'s secret>`. Compute ' +
      "it over the raw body, compare in constant time, and refuse a `t` more than a few minutes old.",
    { type: "string", pattern: "^t=\\d+,v1=[0-9a-f]{64}$" },
  ),
];

/** OpenAPI 3.1 `webhooks`: what the server POSTs to a subscribed endpoint, one entry per event type. */
export function webhookEvents(): Json {
  const variants = WebhookPayload.options as z.ZodObject[];
  return Object.fromEntries(
    WEBHOOK_EVENT_TYPES.map((type, index) => {
      const variant = variants[index] as z.ZodObject;
      return [
        type,
        {
          post: {
            operationId: `webhook_${type.replace(".", "_")}`,
            tags: TAG,
            summary: `A ${type} event`,
            description:
              "Sent to each enabled endpoint subscribed to this type (or to `*`), promptly after the change commits: " +
              "the event as `GET /api/{userId}/changes` lists it, plus `occurred_at`. Not ordered: order by " +
              "`event_id` (a decimal number) if you need to.",
            parameters: DELIVERY_HEADERS,
            requestBody: { required: true, content: json(jsonSchemaOf(variant, "output", DATA_REFS)) },
            responses: {
              "2XX": { description: "Received: any 2xx within the timeout; the body is ignored." },
              default: {
                description:
                  `Anything else (a redirect included: none is followed), or no answer within ${SEND_TIMEOUT_MS / 1000} ` +
                  "s: the attempt failed, and is retried with exponential backoff for 24 hours, after which the " +
                  "endpoint is disabled.",
              },
            },
          },
        },
      ];
    }),
  );
}
