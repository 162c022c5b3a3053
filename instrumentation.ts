// Runs once when the server starts. The check lives in a Node-only module: it may end the process.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  await import("./lib/env-check");
  // A long-running server sends webhook deliveries left due (a restart, writes made outside the app) without waiting
  // for a write; on Vercel the cron route does (docs/decisions/0021-webhooks.md).
  if (!process.env.VERCEL) void (await import("./lib/webhooks/dispatcher")).kickWebhooks();
  // Tracing costs a little on every request, so it is on only when there is somewhere to send the traces.
  const { OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, VERCEL_OTEL_ENDPOINTS } = process.env;
  if (OTEL_EXPORTER_OTLP_ENDPOINT || OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || VERCEL_OTEL_ENDPOINTS) {
    const { registerOTel } = await import("@vercel/otel");
    registerOTel({ serviceName: process.env.OTEL_SERVICE_NAME ?? "taskapp" });
  }
}
