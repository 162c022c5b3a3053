// The security headers of every response, in one place: next.config.ts sets the static ones on all paths, the proxy
// (proxy.ts) sets the page CSP with a per-request nonce, and the start script (scripts/start.ts) uses the same values
// for the responses it writes itself. Plain Node imports this file as is: it imports nothing and has no TS-only
// runtime syntax (no enums, namespaces or parameter properties), only erasable types.

/** Powerful features no page here uses: denied to the page and to any frame it might embed. */
const DENIED_FEATURES = [
  "accelerometer",
  "autoplay",
  "browsing-topics",
  "camera",
  "display-capture",
  "geolocation",
  "gyroscope",
  "hid",
  "identity-credentials-get",
  "interest-cohort",
  "magnetometer",
  "microphone",
  "midi",
  "payment",
  "screen-wake-lock",
  "serial",
  "usb",
  "xr-spatial-tracking",
];

/** Two years, the HSTS preload list's minimum; only sent by a production server (browsers ignore it over http). */
const HSTS = "max-age=63072000; includeSubDomains";

/**
 * The headers every response gets, pages, API and static files alike. `production` adds HSTS; it defaults to
 * NODE_ENV, which is "production" in `next build` (whose build fixes the headers of next.config.ts) and in
 * `next start`, "development" in `next dev`.
 */
export function securityHeaders(production = process.env.NODE_ENV === "production"): Record<string, string> {
  return {
    "X-Content-Type-Options": "nosniff",
    // Nothing to other sites, not even the origin; same-origin requests as before. Not "no-referrer": with it a
    // browser sends `Origin: null` on a plain form POST (fetch keeps the origin), which Better Auth's check refuses.
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": DENIED_FEATURES.map((feature) => `${feature}=()`).join(", "),
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    ...(production ? { "Strict-Transport-Security": HSTS } : {}),
  };
}

/** The CSP of API responses: JSON loads nothing, runs nothing, and is framed by nobody. */
export const API_CONTENT_SECURITY_POLICY =
  "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** The static headers plus the API CSP: what the proxy's and the start script's own JSON error responses carry. */
export function apiSecurityHeaders(production?: boolean): Record<string, string> {
  return { ...securityHeaders(production), "Content-Security-Policy": API_CONTENT_SECURITY_POLICY };
}

/** A fresh nonce for one page response: 128 random bits, base64. */
export function createNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}

/**
 * The CSP of a page rendered for one request. Scripts run only with the nonce (Next puts it on its own scripts when
 * it finds it in the request's CSP header), or when a script that has it loads them ('strict-dynamic'); 'self' is
 * the fallback of browsers without CSP 3. `development` allows eval, which React uses for its dev-only error stacks.
 * `inlineStyles` allows inline `<style>` elements and `style` attributes, without a nonce (a nonce in the directive
 * would switch 'unsafe-inline' off): Scalar on /docs injects both, and so does Next's dev overlay. Other pages get
 * their styles from the stylesheets only.
 */
export function pageContentSecurityPolicy(
  nonce: string,
  { development = false, inlineStyles = false }: { development?: boolean; inlineStyles?: boolean } = {},
): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' ${inlineStyles || development ? "'unsafe-inline'" : `'nonce-${nonce}'`}`,
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}
