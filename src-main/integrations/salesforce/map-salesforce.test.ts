import { describe, expect, it } from 'vitest';
import { searchResultSchema } from '../../../src-shared/domain/search';
import { crmTaskSchema } from '../../../src-shared/domain/tasks';
import {
  describeRecord,
  localDate,
  localMidnight,
  recordUrl,
  sfRecordSchema,
  taskRowSchema,
  toSearchResult,
  contactPoints,
  toTask,
  type SearchObject,
} from './map-salesforce';

const INSTANCE = 'https://mydomainname.my.salesforce.com';

// Shaped like the documented search response (`searchRecords`, each with `attributes`), with
// relationship fields nested under their relationship name as the REST API answers them:
// https://developer.salesforce.com/docs/platform/api-rest/guide/resources-search.html
const searchBody = {
  searchRecords: [
    {
      attributes: { type: 'Lead', url: '/services/data/v62.0/sobjects/Lead/00Q5g00000AbCdEEAV' },
      Id: '00Q5g00000AbCdEEAV',
      Name: "Patrick O'Brien",
      Company: "O'Brien & Sons",
      Email: 'patrick.obrien@lead.example',
      Status: 'Working - Contacted',
    },
    {
      attributes: {
        type: 'Contact',
        url: '/services/data/v62.0/sobjects/Contact/0035g00000XyZaBAAV',
      },
      Id: '0035g00000XyZaBAAV',
      Name: "Seán O'Brien",
      Email: 'sean.obrien@contact.example',
      Phone: '+1 206 555 1234',
      Account: {
        attributes: {
          type: 'Account',
          url: '/services/data/v62.0/sobjects/Account/0015g00000IqhSLAAZ',
        },
        Name: 'Acme & Co',
      },
    },
    {
      attributes: {
        type: 'Contact',
        url: '/services/data/v62.0/sobjects/Contact/0035g00000XyZaCAAV',
      },
      Id: '0035g00000XyZaCAAV',
      Name: 'No Account',
      Email: null,
      Phone: null,
      Account: null,
    },
    {
      attributes: {
        type: 'Account',
        url: '/services/data/v62.0/sobjects/Account/001D000000IqhSLIAZ',
      },
      Id: '001D000000IqhSLIAZ',
      Name: 'Acme',
      Phone: '+1 415 555 1000',
      BillingCity: 'San Francisco',
    },
    {
      attributes: {
        type: 'Opportunity',
        url: '/services/data/v62.0/sobjects/Opportunity/0065g00000Op1AbAAJ',
      },
      Id: '0065g00000Op1AbAAJ',
      Name: 'Acme - Renewal',
      StageName: 'Negotiation/Review',
      Amount: 125000.5,
      Account: { attributes: { type: 'Account', url: '/x' }, Name: 'Acme' },
    },
  ],
};

describe('mapping Salesforce search records', () => {
  it('describes each object with its title and subtitle', () => {
    const described = searchBody.searchRecords.map((record) =>
      describeRecord(record.attributes.type as SearchObject, record),
    );
    expect(described).toEqual([
      {
        title: "Patrick O'Brien",
        subtitle: "Lead · O'Brien & Sons · Working - Contacted · patrick.obrien@lead.example",
      },
      {
        title: "Seán O'Brien",
        subtitle: 'Contact · Acme & Co · sean.obrien@contact.example · +1 206 555 1234',
      },
      { title: 'No Account', subtitle: 'Contact' },
      { title: 'Acme', subtitle: 'Account · San Francisco · +1 415 555 1000' },
      { title: 'Acme - Renewal', subtitle: 'Opportunity · Acme · Negotiation/Review · 125,000.5' },
    ]);
  });

  it('makes results of the shared shape that open the record in Lightning', () => {
    const record = sfRecordSchema.parse(searchBody.searchRecords[1]);
    const result = toSearchResult({
      id: 'salesforce:production:opaque',
      record: record as never,
      instanceUrl: INSTANCE,
      source: 'salesforce:production',
      score: 1,
      fetchedAt: 1700000000000,
    });
    expect(searchResultSchema.parse(result)).toEqual(result);
    expect(result).toMatchObject({
      entityType: 'contact',
      title: "Seán O'Brien",
      url: `${INSTANCE}/lightning/r/Contact/0035g00000XyZaBAAV/view`,
      email: 'sean.obrien@contact.example',
      phone: '+1 206 555 1234',
    });
    expect(result.id).not.toContain('0035g00000XyZaB');
  });

  it('carries an email or phone only where the record has one', () => {
    expect(contactPoints({ Email: ' a@b.example ', Phone: '' })).toEqual({ email: 'a@b.example' });
    expect(contactPoints({ Phone: '+1 415 555 1000', Email: null })).toEqual({
      phone: '+1 415 555 1000',
    });
    expect(contactPoints({ StageName: 'Closed Won' })).toEqual({});
  });

  it('links only to well-formed objects and ids', () => {
    expect(recordUrl(INSTANCE, 'Task', '00T5g000001AbCd')).toBe(
      `${INSTANCE}/lightning/r/Task/00T5g000001AbCd/view`,
    );
    for (const [type, id] of [
      ['Task', '../../evil'],
      ['Ta/sk', '00T5g000001AbCdEAA'],
      ['Task', '00T5g000001AbCdEA'],
      ['Task', '00T5g000001AbCd?x=1'],
    ]) {
      expect(() => recordUrl(INSTANCE, type as string, id as string)).toThrow(
        expect.objectContaining({ code: 'upstream_failed' }),
      );
    }
  });
});

// Shaped like the documented query response (`totalSize`, `done`, `records`), for the
// my-open-tasks query: https://developer.salesforce.com/docs/platform/api-rest/guide/resources-query.html
const taskRows = [
  {
    attributes: { type: 'Task', url: '/services/data/v62.0/sobjects/Task/00T5g000001AbCdEAA' },
    Id: '00T5g000001AbCdEAA',
    Subject: 'Call back about pricing',
    Status: 'Not Started',
    Priority: 'High',
    ActivityDate: '2026-11-29',
    What: { attributes: { type: 'Name', url: '/x' }, Name: 'Acme', Type: 'Account' },
    Who: null,
  },
  {
    attributes: { type: 'Task', url: '/x' },
    Id: '00T5g000001AbCeEAA',
    Subject: 'Send proposal',
    Status: 'In Progress',
    Priority: 'Normal',
    ActivityDate: '2026-11-30',
    What: null,
    Who: { attributes: { type: 'Name', url: '/x' }, Name: "Seán O'Brien", Type: 'Contact' },
  },
  {
    attributes: { type: 'Task', url: '/x' },
    Id: '00T5g000001AbCfEAA',
    Subject: null,
    Status: 'Deferred',
    Priority: 'Low',
    ActivityDate: null,
    What: null,
    Who: null,
  },
  {
    attributes: { type: 'Task', url: '/x' },
    Id: '00T5g000001AbCgEAA',
    Subject: 'Custom priority',
    Status: 'Not Started',
    Priority: 'P1 - Urgent',
    ActivityDate: '2026-12-01',
  },
];

describe('mapping Salesforce tasks', () => {
  // 2026-11-30 10:00 on this computer's clock, whatever its time zone.
  const now = new Date(2026, 10, 30, 10, 0, 0).getTime();
  const map = (row: unknown, id = 'task:x') =>
    toTask(taskRowSchema.parse(row), { id, instanceUrl: INSTANCE, now });

  it("is overdue only before today's local date; due today is not overdue", () => {
    expect(localDate(now)).toBe('2026-11-30');
    expect(taskRows.map((row) => map(row).overdue)).toEqual([true, false, false, false]);
    // Just after midnight the day before is already overdue; just before, it is today.
    const lateEvening = new Date(2026, 10, 29, 23, 59, 0).getTime();
    expect(
      toTask(taskRowSchema.parse(taskRows[0]), { id: 'x', instanceUrl: INSTANCE, now: lateEvening })
        .overdue,
    ).toBe(false);
  });

  it('gives the due date as local midnight, so the widget shows the same day', () => {
    const task = map(taskRows[1]);
    expect(task.dueAt).toBe(localMidnight('2026-11-30'));
    const shown = new Date(task.dueAt ?? '');
    expect([shown.getFullYear(), shown.getMonth() + 1, shown.getDate(), shown.getHours()]).toEqual([
      2026, 11, 30, 0,
    ]);
    expect(map(taskRows[2]).dueAt).toBeUndefined();
  });

  it('maps priority, regarding, subject and the link', () => {
    const tasks = taskRows.map((row, index) => map(row, `task:${index}`));
    for (const task of tasks)
      expect(crmTaskSchema.omit({ source: true, sourceLabel: true }).parse(task)).toEqual(task);
    expect(tasks.map((task) => task.priority)).toEqual(['high', 'normal', 'low', 'normal']);
    expect(tasks[0]?.regarding).toEqual({ name: 'Acme', entityType: 'account' });
    expect(tasks[1]?.regarding).toEqual({ name: "Seán O'Brien", entityType: 'contact' });
    expect(tasks[2]).toMatchObject({ subject: '(no subject)' });
    expect(tasks[2]?.regarding).toBeUndefined();
    expect(tasks[0]?.url).toBe(`${INSTANCE}/lightning/r/Task/00T5g000001AbCdEAA/view`);
  });

  it('refuses rows that are not tasks as documented', () => {
    expect(
      taskRowSchema.safeParse({ ...taskRows[0], ActivityDate: '2026-11-29T00:00:00.000+0000' })
        .success,
    ).toBe(false);
    expect(taskRowSchema.safeParse({ ...taskRows[0], Id: 'not an id' }).success).toBe(false);
  });
});
