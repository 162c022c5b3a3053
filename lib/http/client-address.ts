import { createHash } from "node:crypto";
import { isIPv4, isIPv6 } from "node:net";
import { type ClientAddressSource, env } from "../env";
import { PEER_ADDRESS_HEADER } from "./start-script-headers";

/** The resolved address handed to Better Auth (its `ipAddressHeaders`), set by the auth route on its own copy. */
export const CLIENT_ADDRESS_HEADER = "x-taskapp-client-address";

export type ClientAddress = {
  /** The rate-limit bucket: one per IPv4 address or IPv6 /64, and one per distinct unparseable value. */
  bucket: string;
  /** The normalised address, when the trusted source gave one. */
  ip: string | undefined;
};

const IPV6_PREFIX_GROUPS = 4;

function withoutPort(value: string): string {
  const bracketed = value.match(/^\[([^\]]+)\](?::\d+)?$/);
  if (bracketed?.[1]) return bracketed[1];
  const v4WithPort = value.match(/^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/);
  return v4WithPort?.[1] ?? value;
}

function expandIPv6(address: string): string[] {
  const [head = "", tail] = address.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const missing = 8 - left.length - right.length;
  return [...left, ...Array(tail === undefined ? 0 : missing).fill("0"), ...right].map((group) =>
    group.padStart(4, "0"),
  );
}

/** One IP address, normalised; undefined for anything else (lists, names, garbage). */
function parseIp(raw: string): { ip: string; bucket: string } | undefined {
  const value = withoutPort(raw.trim());
  if (isIPv4(value)) return { ip: value, bucket: `ip:${value}` };
  if (!isIPv6(value)) return undefined;
  const mapped = value.match(/^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i);
  if (mapped?.[1] && isIPv4(mapped[1])) return { ip: mapped[1], bucket: `ip:${mapped[1]}` };
  if (value.includes(".")) return { ip: value.toLowerCase(), bucket: `ip6:${value.toLowerCase()}` };
  // One person usually holds a whole /64, so the bucket is the prefix, not the address.
  const groups = expandIPv6(value.toLowerCase());
  return { ip: value.toLowerCase(), bucket: `ip6:${groups.slice(0, IPV6_PREFIX_GROUPS).join(":")}::/64` };
}

/** A value from the trusted source that is not one address still gets a bucket of its own, shared with no one. */
function unparseable(raw: string): ClientAddress {
  return { bucket: `raw:${createHash("sha256").update(raw).digest("base64url").slice(0, 22)}`, ip: undefined };
}

function fromSource(headers: Headers, source: ClientAddressSource): string {
  switch (source.kind) {
    case "socket":
      return headers.get(PEER_ADDRESS_HEADER) ?? "";
    case "header":
      return headers.get(source.name) ?? "";
    case "forwarded-for": {
      // Each trusted proxy appends the address it saw, so the client is `hops` entries from the right.
      const chain = (headers.get("x-forwarded-for") ?? "").split(",").map((entry) => entry.trim());
      return chain.length >= source.hops ? (chain[chain.length - source.hops] ?? "") : "";
    }
  }
}

/** The client's address as `source` says where it is; never read from any other header. */
export function clientAddressFrom(headers: Headers, source: ClientAddressSource): ClientAddress {
  const raw = fromSource(headers, source);
  return parseIp(raw) ?? unparseable(raw);
}

/** The client's address, from the one source the deployment trusts (CLIENT_ADDRESS_SOURCE). */
export function clientAddress(headers: Headers): ClientAddress {
  return clientAddressFrom(headers, env().CLIENT_ADDRESS_SOURCE);
}
