import { leadsSearch, SEARCH_DEBOUNCE_MS } from '../../src-shared/domain/search';
import { LeadingDebounce } from '../../src-shared/leading-debounce';
import type { SearchService } from '../../src-main/search/search-service';

/** One key every 60 ms: a quick typist. */
export const KEY_INTERVAL_MS = 60;
/** The renderer's debounce: the first key after a pause this long goes at once, later ones wait for one. */
export const DEBOUNCE_MS = SEARCH_DEBOUNCE_MS;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Keystrokes of `text`: "c", "co", "con", ... */
export const keystrokes = (text: string) =>
  Array.from({ length: text.length }, (_, index) => text.slice(0, index + 1));

/**
 * Feeds `texts` to the engine one every `gapMs` through the renderer's debounce (the same
 * LeadingDebounce and rule the search store uses: the first key after a pause goes at once if it
 * makes two characters or more, the rest once typing paused). Returns once the trailing edge after the last key has fired, so the last id in
 * `sent` is the last query; answers the ids sent and when the last key was pressed.
 */
export async function typeDebounced(
  service: SearchService,
  texts: readonly string[],
  gapMs: number,
  idPrefix = 'q',
): Promise<{ sent: string[]; lastKeyAt: number }> {
  const sent: string[] = [];
  const debounce = new LeadingDebounce<{ index: number; text: string }>(
    ({ index, text }) => {
      const queryId = `${idPrefix}${index}`;
      sent.push(queryId);
      service.query(queryId, text, 'bench-window');
    },
    DEBOUNCE_MS,
    { leads: ({ text }) => leadsSearch(text) },
  );
  let lastKeyAt = 0;
  for (const [index, text] of texts.entries()) {
    lastKeyAt = performance.now();
    debounce.push({ index, text });
    await sleep(gapMs);
  }
  // The leading query may already be answered: waiting for "the last sent" must not stop there.
  await sleep(Math.max(0, lastKeyAt + DEBOUNCE_MS + 5 - performance.now()));
  return { sent, lastKeyAt };
}

/** Waits until the engine completed the last query sent, or 20 s. */
export async function untilDone(
  sent: readonly string[],
  done: ReadonlyMap<string, number>,
): Promise<void> {
  const deadline = performance.now() + 20_000;
  while (performance.now() < deadline && !(sent.length > 0 && done.has(sent.at(-1) ?? '')))
    await sleep(10);
}
