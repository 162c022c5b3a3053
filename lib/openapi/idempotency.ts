// What every POST of the API says about `Idempotency-Key` (lib/idempotency): the header, its refusals, the replay mark.
import type { ErrorCode } from "../http/error-body";
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENCY_KEY_TTL_HOURS, REPLAYED_HEADER } from "../idempotency/key";
import type { Json } from "./parts";

export const IDEMPOTENCY_ERRORS: ErrorCode[] = [
  "invalid_idempotency_key",
  "idempotency_key_in_use",
  "idempotency_key_reused",
];

export const IDEMPOTENCY_KEY_PARAMETER: Json = {
  name: IDEMPOTENCY_KEY_HEADER,
  in: "header",
  required: false,
  description:
    "Makes the POST safe to retry: a key of your choosing (a UUID), 1–255 printable ASCII characters, your own " +
    `(another user's same key is theirs). The same key with the same request (method, path and JSON body) within ` +
    `${IDEMPOTENCY_KEY_TTL_HOURS} hours answers what the first request answered — status, \`Location\`, \`ETag\`, ` +
    `\`Content-Type\` and body, a refusal (4xx) included — without writing again, with \`${REPLAYED_HEADER}: true\`. ` +
    "The same key with another request is a 422 `idempotency_key_reused`. A request sent while the first with the " +
    "key is still running waits for it and replays its answer, or after a few seconds gets a 409 " +
    "`idempotency_key_in_use` (retry after `Retry-After`). A 429 or a 5xx is not kept: retry with the same key. " +
    "A body the server cannot read (413, 415, 400 `invalid_json`) is refused before the key is looked at.",
  schema: { type: "string", minLength: 1, maxLength: 255, pattern: "^[\\x20-\\x7e]+$" },
};

/** On the success responses of a POST: present on a replay. */
export const REPLAYED_HEADERS: Json = {
  [REPLAYED_HEADER]: {
    description:
      "`true` when this is the answer kept for the request's `Idempotency-Key`, replayed without writing again (a " +
      "replayed refusal carries it too); absent otherwise.",
    required: false,
    schema: { type: "string", const: "true" },
  },
};
