"use client";

// Placeholder until its section is built.
export function TransferSection(_: { userId: string }) {
  return (
    <section aria-labelledby="transfer-heading">
      <h2 id="transfer-heading" className="text-lg font-semibold">
        Import and export
      </h2>
    </section>
  );
}
