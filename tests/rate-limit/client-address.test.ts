import { describe, expect, it } from "vitest";
import type { ClientAddressSource } from "@/lib/env";
import { clientAddressFrom } from "@/lib/http/client-address";
import { PEER_ADDRESS_HEADER } from "@/lib/http/start-script-headers";

const SOCKET: ClientAddressSource = { kind: "socket" };
const BEHIND_ONE_PROXY: ClientAddressSource = { kind: "forwarded-for", hops: 1 };
const VERCEL: ClientAddressSource = { kind: "header", name: "x-real-ip" };

const address = (source: ClientAddressSource, headers: Record<string, string>) =>
  clientAddressFrom(new Headers(headers), source);

describe("The client address comes from the one source the deployment trusts", () => {
  it("facing clients directly, it is the socket's address: a forged X-Forwarded-For changes nothing", () => {
    const honest = address(SOCKET, { [PEER_ADDRESS_HEADER]: "203.0.113.7" });
    const forged = address(SOCKET, { [PEER_ADDRESS_HEADER]: "203.0.113.7", "x-forwarded-for": "10.9.9.9" });
    expect(honest).toEqual({ bucket: "ip:203.0.113.7", ip: "203.0.113.7" });
    expect(forged).toEqual(honest);
  });

  it("behind one proxy that appends, it is the last X-Forwarded-For entry, whatever the client put before it", () => {
    expect(address(BEHIND_ONE_PROXY, { "x-forwarded-for": "10.0.0.1, 6.6.6.6, 198.51.100.4" }).ip).toBe("198.51.100.4");
    expect(
      address({ kind: "forwarded-for", hops: 2 }, { "x-forwarded-for": "1.1.1.1, 198.51.100.4, 10.0.0.2" }).ip,
    ).toBe("198.51.100.4");
  });

  it("on Vercel, it is x-real-ip, not X-Forwarded-For", () => {
    expect(address(VERCEL, { "x-real-ip": "192.0.2.10", "x-forwarded-for": "6.6.6.6" }).ip).toBe("192.0.2.10");
  });

  it("IPv6 clients share a bucket per /64 (one household's prefix), and IPv4-mapped addresses are IPv4", () => {
    const one = address(VERCEL, { "x-real-ip": "2001:db8:1:2::1" });
    const other = address(VERCEL, { "x-real-ip": "2001:0db8:0001:0002:ffff::9" });
    expect(one.bucket).toBe("ip6:2001:0db8:0001:0002::/64");
    expect(other.bucket).toBe(one.bucket);
    expect(address(VERCEL, { "x-real-ip": "2001:db8:1:3::1" }).bucket).not.toBe(one.bucket);
    expect(address(SOCKET, { [PEER_ADDRESS_HEADER]: "::ffff:192.0.2.1" }).bucket).toBe("ip:192.0.2.1");
  });

  it("ports are not part of the address", () => {
    expect(address(VERCEL, { "x-real-ip": "192.0.2.10:443" }).ip).toBe("192.0.2.10");
    expect(address(VERCEL, { "x-real-ip": "[2001:db8::1]:443" }).ip).toBe("2001:db8::1");
  });

  it("a value that is not one address gets a bucket of its own, shared with no real address and no other value", () => {
    const values = ["10.0.0.1, 10.0.0.2", "not-an-ip", "", "999.1.1.1"];
    const buckets = values.map((value) => address(VERCEL, { "x-real-ip": value }));
    for (const bucket of buckets) {
      expect(bucket.ip).toBeUndefined();
      expect(bucket.bucket).toMatch(/^raw:/);
    }
    expect(new Set(buckets.map((bucket) => bucket.bucket)).size).toBe(values.length);
    expect(address(VERCEL, { "x-real-ip": "not-an-ip" }).bucket).toBe(buckets[1]?.bucket);
  });

  it("a chain shorter than the configured proxies (a request that bypassed them) is not a client address", () => {
    expect(address({ kind: "forwarded-for", hops: 2 }, { "x-forwarded-for": "198.51.100.4" }).ip).toBeUndefined();
  });
});
