import type { SearchResult } from '../../src-shared/domain/search';
import type { ISearchProvider } from '../integrations/search-provider';

const samples = [
  ['Contoso Ltd (placeholder)', 'Account'],
  ['Fabrikam Inc (placeholder)', 'Account'],
  ["Seán O'Brien (placeholder)", 'Contact'],
  ['Adventure Works renewal (placeholder)', 'Opportunity'],
  ['Northwind Traders lead (placeholder)', 'Lead'],
] as const;

/**
 * A stand-in source used until real integrations are connected: it answers from a fixed list so
 * the launcher, the event stream and the e2e smoke can be exercised end to end. It is labelled as a
 * placeholder everywhere the user can see it.
 */
export class PlaceholderProvider implements ISearchProvider {
  readonly id = 'placeholder';
  readonly label = 'Placeholder results (no integration connected)';

  constructor(private readonly now: () => number = Date.now) {}

  async health(): Promise<{ state: 'ok' }> {
    return { state: 'ok' };
  }

  async search(
    text: string,
    options: { readonly signal: AbortSignal },
  ): Promise<readonly SearchResult[]> {
    options.signal.throwIfAborted();
    const needle = text.trim().toLocaleLowerCase();
    if (needle.length === 0) return [];
    return samples
      .filter(([title]) => title.toLocaleLowerCase().includes(needle))
      .map(([title, kind], index) => ({
        id: `placeholder:${index}`,
        source: this.id,
        entityType: 'placeholder',
        title,
        subtitle: `${kind} · sample data, not from your CRM`,
        score: 1,
        fetchedAt: this.now(),
      }));
  }
}
