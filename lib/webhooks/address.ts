import "server-only";
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { BlockList, isIP } from "node:net";

// Where a webhook may not be sent (SSRF): any address that is not a public unicast one. IPv6 forms that carry an IPv4
// address (IPv4-mapped ::ffff:a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16) are judged by that IPv4 address.

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet("127.0.0.0", 8, "ipv4");
LOOPBACK.addAddress("::1", "ipv6");

const REFUSED = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8], // "this network", unspecified
  ["10.0.0.0", 8], // private
  ["100.64.0.0", 10], // shared address space (CGNAT)
  ["127.0.0.0", 8], // loopback
  ["169.254.0.0", 16], // link-local (cloud metadata services)
  ["172.16.0.0", 12], // private
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.0.2.0", 24], // documentation
  ["192.88.99.0", 24], // 6to4 relay anycast
  ["192.168.0.0", 16], // private
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24], // documentation
  ["203.0.113.0", 24], // documentation
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
] as const) {
  REFUSED.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 96], // unspecified, loopback, IPv4-compatible (deprecated)
  ["100::", 64], // discard
  ["2001:db8::", 32], // documentation
  ["fc00::", 7], // unique local
  ["fe80::", 10], // link-local
  ["fec0::", 10], // site-local (deprecated)
  ["ff00::", 8], // multicast
] as const) {
  REFUSED.addSubnet(network, prefix, "ipv6");
}

/** The 16 bytes of an IPv6 address (isIP(address) === 6). */
function ipv6Bytes(address: string): number[] {
  let text = address.split("%")[0] ?? "";
  const dotted = text.match(/(\d+\.\d+\.\d+\.\d+)$/);
  if (dotted?.[1]) {
    const [a = 0, b = 0, c = 0, d = 0] = dotted[1].split(".").map(Number);
    text = `${text.slice(0, -dotted[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const groups = (part: string) => (part === "" ? [] : part.split(":").map((group) => Number.parseInt(group, 16)));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const words = [...left, ...new Array(8 - left.length - right.length).fill(0), ...right];
  return words.flatMap((word) => [word >> 8, word & 0xff]);
}

/** The IPv4 address an IPv6 address stands for, if it is one of the forms that embed one. */
function embeddedIpv4(address: string): string | undefined {
  const bytes = ipv6Bytes(address);
  const quad = (from: number) => bytes.slice(from, from + 4).join(".");
  const zeros = (from: number, to: number) => bytes.slice(from, to).every((byte) => byte === 0);
  if (zeros(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) return quad(12); // ::ffff:a.b.c.d
  if (bytes[0] === 0x00 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b && zeros(4, 12)) {
    return quad(12); // 64:ff9b::a.b.c.d
  }
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return quad(2); // 2002:aabb:ccdd::
  return undefined;
}

/**
 * Why an address may not receive webhooks, or undefined when it may: public unicast addresses only, plus loopback
 * when `allowLoopback` (WEBHOOK_ALLOW_LOOPBACK, for tests).
 */
export function refusedAddress(address: string, allowLoopback: boolean): string | undefined {
  const family = isIP(address);
  if (family === 0) return `${address} is not an IP address`;
  const type = family === 4 ? "ipv4" : "ipv6";
  const ipv4 = type === "ipv6" ? embeddedIpv4(address) : address;
  if (ipv4 !== undefined && ipv4 !== address) {
    const inner = refusedAddress(ipv4, allowLoopback);
    return inner === undefined ? undefined : `${address} stands for ${ipv4}, ${inner.replace(`${ipv4} `, "")}`;
  }
  if (allowLoopback && LOOPBACK.check(address, type)) return undefined;
  if (REFUSED.check(address, type)) {
    return `${address} is a private, loopback, link-local or otherwise non-public address`;
  }
  return undefined;
}

/** A refusal of the destination: recorded as the attempt's error, or a 422 at registration. */
export class RefusedDestination extends Error {
  override name = "RefusedDestination";
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for the HTTP client: resolves the host and hands the socket only addresses that passed the check, so
 * the address connected to is the one checked (a DNS answer that changes between a check and the connection, DNS
 * rebinding, cannot slip a private address in). Any refused address in the answer refuses the host.
 */
export function checkedLookup(allowLoopback: boolean) {
  return (hostname: string, options: { all?: boolean; family?: number | string }, callback: LookupCallback) => {
    dnsLookup(
      hostname,
      { all: true, family: options.family === undefined ? 0 : Number(options.family) || 0 },
      (error, addresses) => {
        if (error) return callback(error, []);
        for (const { address } of addresses) {
          const refused = refusedAddress(address, allowLoopback);
          if (refused) return callback(new RefusedDestination(`${hostname} resolves to ${refused}`), []);
        }
        if (options.all) return callback(null, addresses);
        const [first] = addresses;
        if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: "ENOTFOUND" }), []);
        callback(null, first.address, first.family);
      },
    );
  };
}

/** Resolves `hostname` through checkedLookup: the addresses, or the refusal (RefusedDestination, or DNS's error). */
export function resolveChecked(hostname: string, allowLoopback: boolean): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => {
    checkedLookup(allowLoopback)(hostname, { all: true }, (error, addresses) => {
      if (error) reject(error);
      else resolve(addresses as LookupAddress[]);
    });
  });
}

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * The destination rules that do not need DNS: https, or http to a loopback host when loopback is allowed; an IP
 * literal must itself be allowed. Returns the host to resolve (undefined for an IP literal), or throws.
 */
export function checkUrlShape(url: URL, allowLoopback: boolean): string | undefined {
  const loopbackHost = LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && allowLoopback && loopbackHost)) {
    throw new RefusedDestination("the url must be https://");
  }
  const literal = url.hostname.replace(/^\[(.*)\]$/, "$1");
  if (isIP(literal) === 0) return url.hostname;
  const refused = refusedAddress(literal, allowLoopback);
  if (refused) throw new RefusedDestination(refused);
  return undefined;
}
