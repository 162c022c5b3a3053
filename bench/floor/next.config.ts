// The floor of `npm run bench:http`: the same `next` as the app, route handlers only, built with
// `next build bench/floor` and served by `next start bench/floor`. Never shipped.
import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // The project runs the native TypeScript 7 compiler itself; Next's in-build check cannot use it.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
