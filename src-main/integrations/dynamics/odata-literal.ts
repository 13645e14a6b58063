/**
 * A user's text as a Dataverse OData string literal inside `contains(...)`: quotes doubled
 * (WIRE.md 0.7) and SQL LIKE wildcards bracketed so `%`, `_` and `[` match themselves (WIRE.md 0.6).
 * URL encoding is left to URLSearchParams. Never concatenate raw input into a filter.
 */
export function containsLiteral(text: string): string {
  const likeSafe = text.replace(/[[%_]/g, (char) => `[${char}]`);
  return `'${likeSafe.replace(/'/g, "''")}'`;
}
