import type { NextConfig } from "next";
import { API_CONTENT_SECURITY_POLICY, securityHeaders } from "./lib/http/security-headers";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // The native TypeScript 7 compiler has no JS API for Next's in-build check; `npm run typecheck` runs it.
  typescript: { ignoreBuildErrors: true },
  serverExternalPackages: ["@electric-sql/pglite", "@electric-sql/pglite-socket"],
  async headers() {
    return [
      {
        source: "/:path*",
        headers: Object.entries(securityHeaders()).map(([key, value]) => ({ key, value })),
      },
      // Pages get theirs, with a nonce, from proxy.ts; a second CSP on a page would be enforced as well.
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: API_CONTENT_SECURITY_POLICY }] },
    ];
  },
};

export default nextConfig;
