import type { SearchService } from '../../src-main/search/search-service';

/** One key every 60 ms: a quick typist. */
export const KEY_INTERVAL_MS = 60;
/** The renderer's debounce: a query is sent only after a pause this long. */
export const DEBOUNCE_MS = 120;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Keystrokes of `text`: "c", "co", "con", ... */
export const keystrokes = (text: string) =>
  Array.from({ length: text.length }, (_, index) => text.slice(0, index + 1));

/**
 * Feeds `texts` to the engine one every `gapMs` through the renderer's debounce. Answers the
 * query ids sent (filled as the debounce fires, so the last may arrive after this returns) and
 * when the last key was pressed.
 */
export async function typeDebounced(
  service: SearchService,
  texts: readonly string[],
  gapMs: number,
  idPrefix = 'q',
): Promise<{ sent: string[]; lastKeyAt: number }> {
  let pending: ReturnType<typeof setTimeout> | undefined;
  const sent: string[] = [];
  let lastKeyAt = 0;
  for (const [index, text] of texts.entries()) {
    lastKeyAt = performance.now();
    if (pending) clearTimeout(pending);
    pending = setTimeout(() => {
      const queryId = `${idPrefix}${index}`;
      sent.push(queryId);
      service.query(queryId, text, 'bench-window');
    }, DEBOUNCE_MS);
    await sleep(gapMs);
  }
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
