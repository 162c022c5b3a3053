"use client";

// Placeholder until its section is built.
export function TokensSection(_: { userId: string }) {
  return (
    <section aria-labelledby="tokens-heading">
      <h2 id="tokens-heading" className="text-lg font-semibold">
        Personal access tokens
      </h2>
    </section>
  );
}
