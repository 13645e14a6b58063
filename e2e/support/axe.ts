import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { run } from 'axe-core';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** One axe-core violation, with where it was found, for a readable failure. */
export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null | undefined;
  readonly nodes: readonly string[];
}

/**
 * Runs axe-core (https://github.com/dequelabs/axe-core) on the page as it is now. The renderer's
 * Content-Security-Policy refuses injected script tags, so axe's source is evaluated through the
 * DevTools protocol, which the policy does not govern.
 */
export async function axeViolations(
  page: Page,
): Promise<{ violations: AxeViolation[]; passes: number }> {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: typeof run } }).axe;
    const results = await axe.run(document, { resultTypes: ['violations'] });
    const violations = results.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      nodes: violation.nodes.map(
        (node) => `${node.target.join(' ')}: ${node.failureSummary ?? ''}`,
      ),
    }));
    return { violations, passes: results.passes.length };
  });
}
