import { z } from 'zod';
import type { SearchResult } from '../../../src-shared/domain/search';
import type { CrmTask } from '../../../src-shared/domain/tasks';
import { workstationError } from '../../../src-shared/errors';

/** A Salesforce id: 15 characters (case-sensitive) or 18 (case-insensitive, with a checksum). */
const SALESFORCE_ID = /^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/;
const OBJECT_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** A record as the REST API answers it: `attributes.type` says which object; fields by API name. */
export const sfRecordSchema = z
  .object({
    attributes: z.object({ type: z.string() }).passthrough(),
    Id: z.string().regex(SALESFORCE_ID),
  })
  .passthrough();
export type SfRecord = z.infer<typeof sfRecordSchema>;

/** The objects the launcher shows, by API name, as the entity types results carry. */
export const searchObjects = {
  Lead: 'lead',
  Contact: 'contact',
  Account: 'account',
  Opportunity: 'opportunity',
} as const;
export type SearchObject = keyof typeof searchObjects;
export const isSearchObject = (type: string): type is SearchObject =>
  Object.hasOwn(searchObjects, type);

const text = (value: unknown) =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
/** A relationship field (`Account.Name`) nests under the relationship's name, or is null when empty. */
const related = (record: Record<string, unknown>, relationship: string, field: string) => {
  const nested = record[relationship];
  return typeof nested === 'object' && nested !== null
    ? text((nested as Record<string, unknown>)[field])
    : '';
};
const join = (...parts: string[]) => parts.filter(Boolean).join(' · ');
const amount = (value: unknown) =>
  typeof value === 'number' && Number.isFinite(value)
    ? value.toLocaleString('en-US', { maximumFractionDigits: 2 })
    : '';

/** Title and subtitle as the launcher shows them, per object. */
export function describeRecord(
  type: SearchObject,
  record: Record<string, unknown>,
): { title: string; subtitle: string } {
  switch (type) {
    case 'Lead':
      return {
        title: text(record.Name),
        subtitle: join('Lead', text(record.Company), text(record.Status), text(record.Email)),
      };
    case 'Contact':
      return {
        title: text(record.Name),
        subtitle: join(
          'Contact',
          related(record, 'Account', 'Name'),
          text(record.Email),
          text(record.Phone),
        ),
      };
    case 'Account':
      return {
        title: text(record.Name),
        subtitle: join('Account', text(record.BillingCity), text(record.Phone)),
      };
    case 'Opportunity':
      return {
        title: text(record.Name),
        subtitle: join(
          'Opportunity',
          related(record, 'Account', 'Name'),
          text(record.StageName),
          amount(record.Amount),
        ),
      };
  }
}

/**
 * The record's email address and phone, for the launcher's Copy, Email and Call actions: the
 * standard `Email` and `Phone` fields the search asks for (Lead, Contact: Email; Contact, Account:
 * Phone; https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_contact.htm).
 */
export function contactPoints(record: Record<string, unknown>): { email?: string; phone?: string } {
  const email = text(record.Email).trim();
  const phone = text(record.Phone).trim();
  return { ...(email ? { email } : {}), ...(phone ? { phone } : {}) };
}

/**
 * The record's page in Lightning Experience: `<instance_url>/lightning/r/<Object>/<Id>/view`, the
 * record page's URL format ("pageReference Types", Record Page,
 * https://developer.salesforce.com/docs/atlas.en-us.220.0.lightning.meta/lightning/components_navigation_page_definitions.htm).
 * The My Domain redirects it to the org's lightning.force.com host in the browser. The older
 * `<instance_url>/<Id>` also opens the record (and redirects to the same page), but names no object.
 */
export function recordUrl(instanceUrl: string, type: string, id: string): string {
  if (!OBJECT_NAME.test(type) || !SALESFORCE_ID.test(id))
    throw workstationError(
      'upstream_failed',
      'Salesforce answered a record Workstation cannot link to.',
    );
  return new URL(`/lightning/r/${type}/${id}/view`, instanceUrl).toString();
}

/** One search result from a SOSL record; `id` is the provider's opaque id (the record id stays in main). */
export function toSearchResult(options: {
  id: string;
  record: SfRecord & { attributes: { type: SearchObject } };
  instanceUrl: string;
  source: string;
  score: number;
  fetchedAt: number;
}): SearchResult {
  const type = options.record.attributes.type;
  const { title, subtitle } = describeRecord(type, options.record);
  return {
    id: options.id,
    source: options.source,
    entityType: searchObjects[type],
    title,
    subtitle,
    url: recordUrl(options.instanceUrl, type, options.record.Id),
    ...contactPoints(options.record),
    score: options.score,
    fetchedAt: options.fetchedAt,
  };
}

/** A task row of the my-open-tasks query. */
export const taskRowSchema = sfRecordSchema.extend({
  Subject: z.string().nullable().optional(),
  Priority: z.string().nullable().optional(),
  ActivityDate: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .nullable()
    .optional(),
  What: z
    .object({ Name: z.string().nullable().optional(), Type: z.string().nullable().optional() })
    .passthrough()
    .nullable()
    .optional(),
  Who: z
    .object({ Name: z.string().nullable().optional(), Type: z.string().nullable().optional() })
    .passthrough()
    .nullable()
    .optional(),
});
export type TaskRow = z.infer<typeof taskRowSchema>;

/** The local calendar date of `now` as `YYYY-MM-DD`. */
export function localDate(now: number): string {
  const date = new Date(now);
  return `${String(date.getFullYear()).padStart(4, '0')}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

/** Midnight of a `YYYY-MM-DD` date on this computer's clock, as an ISO instant, so the widget shows that same day. */
export function localMidnight(date: string): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(year, month - 1, day).toISOString();
}

const priorityOf = (value: string | null | undefined): CrmTask['priority'] => {
  const lower = (value ?? '').toLowerCase();
  return lower === 'high' ? 'high' : lower === 'low' ? 'low' : 'normal';
};

/**
 * One task for the widget. `ActivityDate` is a date, not a time of day (stored as midnight UTC):
 * a task is overdue once its date is before today's date here, never shifted across time zones
 * ("Task", https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_task.htm).
 * Priority is the org's picklist: High and Low are kept, anything else (Normal, custom values) is normal.
 */
export function toTask(
  row: TaskRow,
  options: { id: string; instanceUrl: string; now: number },
): Omit<CrmTask, 'source' | 'sourceLabel'> {
  const due = row.ActivityDate ?? undefined;
  const regarding = row.What?.Name
    ? { name: row.What.Name, entityType: (row.What.Type ?? 'record').toLowerCase() }
    : row.Who?.Name
      ? { name: row.Who.Name, entityType: (row.Who.Type ?? 'record').toLowerCase() }
      : undefined;
  return {
    id: options.id,
    subject: row.Subject?.trim() || '(no subject)',
    ...(due ? { dueAt: localMidnight(due) } : {}),
    overdue: due !== undefined && due < localDate(options.now),
    priority: priorityOf(row.Priority),
    ...(regarding ? { regarding } : {}),
    url: recordUrl(options.instanceUrl, 'Task', row.Id),
  };
}
