import type { SearchResult, SourceState } from '../../src-shared/domain/search';

/** What the engine needs from a source of search results (a CRM, a calendar, ...). */
export interface ISearchProvider {
  /** Stable id, also the namespace of the provider's result ids. */
  readonly id: string;
  /** What the user sees on the source's status chip. */
  readonly label: string;
  /** The longest query text the source accepts; the engine trims longer ones and says so. */
  readonly maxQueryLength?: number;
  /**
   * Answers one query; must stop work and reject when `signal` aborts. `onNotice` hears what the
   * source's chip should say about a complete answer that came another way than usual (a simpler
   * search stood in for a busy one).
   */
  search(
    text: string,
    options: { readonly signal: AbortSignal; readonly onNotice?: (notice: string) => void },
  ): Promise<readonly SearchResult[]>;
  /** A cheap live check of the source (a reconnect or an outage shows before the user searches). */
  health(options: {
    readonly signal: AbortSignal;
  }): Promise<{ readonly state: SourceState; readonly message?: string }>;
}

/** Maps a failed health probe to the state a chip shows. */
export function healthFromError(error: unknown): { state: SourceState; message?: string } {
  const code = (error as { code?: string }).code;
  const message = (error as { message?: string }).message;
  if (code === 'needs_reconnect' || code === 'needs_sign_in' || code === 'needs_admin_consent')
    return { state: 'needs_reconnect', ...(message ? { message } : {}) };
  if (code === 'throttled' || code === 'upstream_unavailable')
    return { state: 'throttled', ...(message ? { message } : {}) };
  return { state: 'failed', ...(message ? { message } : {}) };
}
