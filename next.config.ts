import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // The native TypeScript 7 compiler has no JS API for Next's in-build check; `npm run typecheck` runs it.
  typescript: { ignoreBuildErrors: true },
  serverExternalPackages: ["@electric-sql/pglite", "@electric-sql/pglite-socket"],
};

export default nextConfig;
