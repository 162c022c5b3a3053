"use client";

// Placeholder until its section is built.
export function WebhooksSection(_: { userId: string }) {
  return (
    <section aria-labelledby="webhooks-heading">
      <h2 id="webhooks-heading" className="text-lg font-semibold">
        Webhooks
      </h2>
    </section>
  );
}
