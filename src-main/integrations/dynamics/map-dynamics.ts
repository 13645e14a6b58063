import type { SearchResult } from '../../../src-shared/domain/search';
import type { SearchEntity } from './dynamics-entities';

const FORMATTED = '@OData.Community.Display.V1.FormattedValue';

/** A row or search hit's attributes, with formatted-value annotations when Dataverse sent them. */
export type Attributes = Record<string, unknown>;

const text = (value: unknown) =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
const formatted = (attributes: Attributes, column: string) =>
  text(attributes[`${column}${FORMATTED}`]) || text(attributes[column]);
const join = (...parts: string[]) => parts.filter(Boolean).join(' · ');

/** Title and subtitle as the launcher shows them, per table. */
export function describeRecord(
  entity: SearchEntity['logicalName'],
  attributes: Attributes,
): { title: string; subtitle: string } {
  switch (entity) {
    case 'contact':
      return {
        title: text(attributes.fullname),
        subtitle: join(
          'Contact',
          formatted(attributes, '_parentcustomerid_value'),
          text(attributes.emailaddress1),
        ),
      };
    case 'account':
      return {
        title: text(attributes.name),
        subtitle: join('Account', text(attributes.address1_city), text(attributes.telephone1)),
      };
    case 'lead':
      return {
        title: text(attributes.fullname),
        subtitle: join('Lead', text(attributes.companyname), text(attributes.subject)),
      };
    case 'opportunity':
      return {
        title: text(attributes.name),
        subtitle: join(
          'Opportunity',
          formatted(attributes, '_customerid_value'),
          formatted(attributes, 'estimatedvalue'),
        ),
      };
  }
}

/**
 * The record's email address and main phone, for the launcher's Copy, Email and Call actions:
 * `emailaddress1` and `telephone1` on contacts, accounts and leads
 * (https://learn.microsoft.com/power-apps/developer/data-platform/reference/entities/contact).
 */
export function contactPoints(
  entity: SearchEntity['logicalName'],
  attributes: Attributes,
): { email?: string; phone?: string } {
  if (entity === 'opportunity') return {};
  const email = text(attributes.emailaddress1).trim();
  const phone = text(attributes.telephone1).trim();
  return { ...(email ? { email } : {}), ...(phone ? { phone } : {}) };
}

/** The record's page in Dynamics (https://learn.microsoft.com/power-apps/developer/model-driven-apps/open-forms-views-dialogs-reports-url). */
export function recordUrl(orgUrl: string, entity: string, id: string): string {
  const url = new URL('/main.aspx', orgUrl);
  url.searchParams.set('etn', entity);
  url.searchParams.set('id', id);
  url.searchParams.set('pagetype', 'entityrecord');
  return url.toString();
}

/** One search result from a Dataverse row or search hit. */
export function toSearchResult(options: {
  id: string;
  entity: SearchEntity['logicalName'];
  recordId: string;
  attributes: Attributes;
  orgUrl: string;
  source: string;
  score: number;
  fetchedAt: number;
}): SearchResult {
  const { title, subtitle } = describeRecord(options.entity, options.attributes);
  return {
    id: options.id,
    source: options.source,
    entityType: options.entity,
    title,
    subtitle,
    url: recordUrl(options.orgUrl, options.entity, options.recordId),
    ...contactPoints(options.entity, options.attributes),
    score: options.score,
    fetchedAt: options.fetchedAt,
  };
}
