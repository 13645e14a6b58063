import type { Row } from '../data/sample-data';
import type { EntityMetadata } from './entity-metadata';

/**
 * The next page's absolute URL: the original query plus a cookie-shaped `$skiptoken`
 * (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/page-results). A
 * change-tracking read carries the version its delta link will name, so every page of one read
 * ends at the same point.
 */
export function nextLink(
  url: URL,
  entity: EntityMetadata,
  page: readonly Row[],
  pageNumber: number,
  trackingVersion?: number,
): string {
  const next = new URL(url.toString());
  const first = String(page[0]?.[entity.primaryKey] ?? '').toUpperCase();
  const last = String(page.at(-1)?.[entity.primaryKey] ?? '').toUpperCase();
  const pagingCookie = encodeURIComponent(
    `<cookie page="${pageNumber}"><${entity.primaryKey} last="{${last}}" first="{${first}}" /></cookie>`,
  );
  next.searchParams.set(
    '$skiptoken',
    trackingVersion === undefined
      ? `<cookie pagenumber="${pageNumber + 1}" pagingcookie="${pagingCookie}" istracking="False" />`
      : `<cookie pagenumber="${pageNumber + 1}" pagingcookie="${pagingCookie}" istracking="True" trackingversion="${trackingVersion}" />`,
  );
  return next.toString();
}

/** The version a change-tracking page cookie carries, if it is one. */
export function trackingVersionOf(skipToken: string | null): number | undefined {
  const version = /trackingversion="(\d+)"/.exec(skipToken ?? '')?.[1];
  return version === undefined ? undefined : Number(version);
}
