import type { SearchResult } from '../../src-shared/domain/search';

/** What the engine needs from a source of search results (a CRM, a calendar, ...). */
export interface ISearchProvider {
  /** Stable id, also the namespace of the provider's result ids. */
  readonly id: string;
  /** What the user sees on the source's status chip. */
  readonly label: string;
  /** Answers one query; must stop work and reject when `signal` aborts. */
  search(text: string, options: { readonly signal: AbortSignal }): Promise<readonly SearchResult[]>;
}
