/**
 * A user's text as a Dataverse OData string literal inside `contains(...)`: quotes doubled
 * (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/filter-rows) and SQL LIKE wildcards bracketed so `%`, `_` and `[` match themselves (https://learn.microsoft.com/power-apps/developer/data-platform/wildcard-characters).
 * URL encoding is left to URLSearchParams. Never concatenate raw input into a filter.
 */
export function containsLiteral(text: string): string {
  const likeSafe = text.replace(/[[%_]/g, (char) => `[${char}]`);
  return `'${likeSafe.replace(/'/g, "''")}'`;
}
