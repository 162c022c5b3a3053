import { ApiError } from "../http/errors";

/** The event number in decimal, without leading zeros: 0 (before the first event) up to 18 digits. */
const TOKEN = /^(0|[1-9][0-9]{0,17})$/;

export const encodeToken = (seq: bigint): string => seq.toString();

export const invalidToken = () =>
  new ApiError(
    "invalid_cursor",
    "since is not a token this feed gave out (a next or an event_id); call without since for a new one.",
  );

/** The event number a token names; 400 `invalid_cursor` for anything the feed never gives out. */
export function decodeToken(token: string): bigint {
  if (!TOKEN.test(token)) throw invalidToken();
  return BigInt(token);
}
