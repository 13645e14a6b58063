import { z } from 'zod';

/** A query id is chosen by the renderer so it can drop events of superseded queries. */
export const queryIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, - or _');
export type QueryId = z.infer<typeof queryIdSchema>;

/**
 * The search box's debounce: the first key after a pause this long is sent at once, a run of keys
 * becomes one query, sent once typing paused this long (`src-shared/leading-debounce.ts`).
 */
export const SEARCH_DEBOUNCE_MS = 120;

/**
 * Whether text may go out on the leading edge: one character matches too much to be worth an
 * upstream request of its own (Salesforce's SOSL refuses it), so a first key waits like the keys
 * after it, and typing a word still costs one request, not two.
 */
export const leadsSearch = (text: string): boolean => text.trim().length >= 2;

/** The longest query text accepted; longer input is a typing accident, not a search. */
export const MAX_QUERY_LENGTH = 200;

export const searchQueryInputSchema = z
  .object({
    queryId: queryIdSchema,
    text: z
      .string()
      .max(MAX_QUERY_LENGTH, `Search text is limited to ${MAX_QUERY_LENGTH} characters.`),
    /** A source (`dynamics:contoso-crm4`) asked again past the 5-minute cache (its row's Refresh). */
    refresh: z.string().min(1).max(64).optional(),
  })
  .strict();

/** Entity types the launcher knows how to show; providers may add others (shown with a generic icon). */
export const knownEntityTypes = [
  'lead',
  'contact',
  'account',
  'opportunity',
  'task',
  'meeting',
  'placeholder',
] as const;

export const searchResultSchema = z.object({
  /** Opaque, namespaced by provider; raw upstream ids stay in main. */
  id: z.string().min(1).max(200),
  source: z.string().min(1).max(64),
  entityType: z.string().min(1).max(64),
  title: z.string().max(500),
  subtitle: z.string().max(500),
  /** Where Enter takes the user (opened by main after it checks the host). */
  url: z.string().url().optional(),
  /** The record's email address and phone number, when it has them (Copy, Email and Call actions). */
  email: z.string().max(320).optional(),
  phone: z.string().max(64).optional(),
  score: z.number(),
  fetchedAt: z.number().int(),
});
export type SearchResult = z.infer<typeof searchResultSchema>;

/**
 * How one source answered a query. Every state but `ok` and `cached` is a row of its own in the
 * list, with its reason (`message`) and its `action`.
 */
export const sourceStateSchema = z.enum([
  'ok',
  'cached',
  'throttled',
  'needs_reconnect',
  'failed',
  /** The source did not answer in time. */
  'timed_out',
  /** The organisation turned the integration off for this user (or no longer offers the connection). */
  'not_enabled',
]);
export type SourceState = z.infer<typeof sourceStateSchema>;

/** What a source's row offers: ask again, reconnect in Settings, or ask past the cache. */
export const sourceActionSchema = z.enum(['retry', 'reconnect', 'refresh']);
export type SourceAction = z.infer<typeof sourceActionSchema>;

export const sourceStatusSchema = z.object({
  source: z.string().min(1).max(64),
  label: z.string().max(100),
  state: sourceStateSchema,
  /** Age of a cached answer, in ms. */
  ageMs: z.number().int().nonnegative().optional(),
  /** When a throttled source may be asked again (epoch ms). */
  retryAt: z.number().int().optional(),
  message: z.string().max(500).optional(),
  /** The source answered in full, through a simpler search than usual (its own search was busy). */
  fallback: z.boolean().optional(),
  /** What the source's row offers (absent: nothing helps, e.g. turned off by the organisation). */
  action: sourceActionSchema.optional(),
  /** The query was longer than the source accepts: it searched only its first this-many characters. */
  trimmedTo: z.number().int().positive().optional(),
});
export type SourceStatus = z.infer<typeof sourceStatusSchema>;

/** One provider's answer to one query, streamed as it arrives. */
export const searchBatchSchema = z.object({
  queryId: queryIdSchema,
  status: sourceStatusSchema,
  results: z.array(searchResultSchema).max(200),
});
export type SearchBatch = z.infer<typeof searchBatchSchema>;

export const searchCompleteSchema = z.object({
  queryId: queryIdSchema,
  sources: z.number().int().nonnegative(),
});
export type SearchComplete = z.infer<typeof searchCompleteSchema>;
