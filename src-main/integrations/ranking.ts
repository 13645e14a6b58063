/** Types in the order a person looking for someone usually means them. */
const typeWeight: Record<string, number> = { contact: 4, account: 3, opportunity: 2, lead: 1 };

const normalize = (value: string) =>
  value.normalize('NFKC').toLocaleLowerCase().trim().replace(/\s+/g, ' ');

/** The query as cache keys and matching see it: case, width and spacing folded. */
export function normalizeQuery(text: string): string {
  return normalize(text);
}

/**
 * One number that orders a merged list: how the title matches (exact > prefix > word-prefix >
 * contains > other), then the type, then the provider's own relevance (kept below 1).
 */
export function rankScore(
  title: string,
  query: string,
  entityType: string,
  providerScore: number,
): number {
  const t = normalize(title);
  const q = normalize(query);
  const match =
    t === q
      ? 4
      : t.startsWith(q)
        ? 3
        : t.split(/[\s'’\-(]+/).some((word) => word.startsWith(q))
          ? 2
          : t.includes(q)
            ? 1
            : 0;
  const provider = Math.max(0, Math.min(0.99, providerScore / (1 + Math.abs(providerScore))));
  return match * 100 + (typeWeight[entityType] ?? 0) * 10 + provider;
}
