import { ApiError } from "./errors";

/** Largest request body the API reads; larger ones are refused before the rest is read. */
export const MAX_BODY_BYTES = 64 * 1024;

const JSON_MEDIA_TYPE = /^application\/([\w.+-]+\+)?json$/i;

/** The body's media type, lower case, without parameters (`text/csv; charset=utf-8` is `text/csv`). */
export const mediaTypeOf = (headers: Headers) => headers.get("content-type")?.split(";")[0]?.trim().toLowerCase() ?? "";

export const isJsonMediaType = (mediaType: string) => JSON_MEDIA_TYPE.test(mediaType);

function tooLarge(maxBytes: number): ApiError {
  return new ApiError("payload_too_large", `The request body is larger than ${maxBytes} bytes.`);
}

/** The request body's bytes: 413 before reading further once it is past the limit (declared or actual). */
export async function readBodyBytes(request: Request, maxBytes = MAX_BODY_BYTES): Promise<Uint8Array> {
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (declared > maxBytes) throw tooLarge(maxBytes);
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** Reads a JSON request body: 415 unless declared as JSON, 413 past the limit, 400 unless valid UTF-8 JSON. */
export async function readJsonBody(request: Request, maxBytes = MAX_BODY_BYTES): Promise<unknown> {
  requireJsonMediaType(request.headers);
  return parseJsonBytes(await readBodyBytes(request, maxBytes));
}

/** 415 unless the body is declared as JSON. */
function requireJsonMediaType(headers: Headers): void {
  if (!isJsonMediaType(mediaTypeOf(headers))) {
    throw new ApiError(
      "unsupported_media_type",
      "Send the request body as JSON with `Content-Type: application/json`.",
    );
  }
}

/** 400 unless the bytes are valid UTF-8 JSON. */
function parseJsonBytes(bytes: Uint8Array): unknown {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new ApiError("invalid_json", "The request body is not valid UTF-8.");
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError("invalid_json", "The request body is not valid JSON.");
  }
}
