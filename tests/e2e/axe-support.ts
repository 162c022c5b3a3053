import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect } from "./support";

/** Runs axe (WCAG 2.x A/AA and best practices) and fails on serious or critical violations, listing them. */
export async function expectNoSeriousViolations(page: Page, name: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
  const report = serious
    .map(
      (violation) =>
        `[${violation.impact}] ${violation.id}: ${violation.help} (${violation.helpUrl})\n` +
        violation.nodes.map((node) => `    ${node.target.join(" ")}\n      ${node.failureSummary ?? ""}`).join("\n"),
    )
    .join("\n");
  if (violations.length > serious.length) {
    const minor = violations.filter((violation) => !serious.includes(violation));
    console.log(`${name}: ${minor.map((violation) => `${violation.id} (${violation.impact})`).join(", ")}`);
  }
  expect(serious, `${name}: serious or critical axe violations\n${report}`).toEqual([]);
}
