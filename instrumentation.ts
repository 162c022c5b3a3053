// Runs once when the server starts. The check lives in a Node-only module: it may end the process.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  await import("./lib/env-check");
  // Tracing costs a little on every request, so it is on only when there is somewhere to send the traces.
  const { OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, VERCEL_OTEL_ENDPOINTS } = process.env;
  if (OTEL_EXPORTER_OTLP_ENDPOINT || OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || VERCEL_OTEL_ENDPOINTS) {
    const { registerOTel } = await import("@vercel/otel");
    registerOTel({ serviceName: process.env.OTEL_SERVICE_NAME ?? "taskapp" });
  }
}
