import type { SampleSize } from '../data/sample-data';
import { sampleUsers } from '../data/sample-users';
import { SeededRandom } from '../data/seeded-random';
import { newId } from './salesforce-ids';
import type {
  SalesforceEnvironment,
  SalesforceOrg,
  SalesforceUser,
  SfRecord,
} from './salesforce-org';
import {
  leadStatuses,
  opportunityStages,
  sobjectByName,
  taskPriorities,
  taskStatuses,
  type SObjectName,
} from './sobjects';

const counts: Record<
  SampleSize,
  Record<'Account' | 'Contact' | 'Lead' | 'Opportunity' | 'Task', number>
> = {
  // Enough open tasks for the first user that "my open tasks" spans two batches of 200 (the minimum batch size).
  small: { Account: 40, Contact: 100, Lead: 60, Opportunity: 50, Task: 600 },
  large: { Account: 10_000, Contact: 26_000, Lead: 8_000, Opportunity: 5_000, Task: 4_000 },
};

// Each sample user's locale: date literals such as TODAY follow the querying user's time zone.
const timeZones = [
  'America/Los_Angeles',
  'America/New_York',
  'Europe/Dublin',
  'Europe/London',
  'Europe/Rome',
  'Europe/Paris',
  'Pacific/Auckland',
];
const firstNames = [
  'Seán',
  'Maria',
  'José',
  'Zoë',
  'Nuno',
  'Aoife',
  'Björn',
  'Chloé',
  'Dmitri',
  'Emma',
  'Farah',
  'Grace',
  'Hiroshi',
  'Ingrid',
  'Jamal',
  'Liam',
  'Mei',
  'Noah',
  'Priya',
  'Rafael',
];
const lastNames = [
  "O'Brien",
  "D'Angelo",
  'Müller',
  'García',
  'Nguyen',
  'Smith',
  'Kowalski',
  'Johansson',
  'Dubois',
  'Rossi',
  'Tanaka',
  'Okafor',
  'Silva',
  'Hernández-Zamora',
  'Smith',
];
const companyStems = [
  'Contoso',
  'Fabrikam',
  'Northwind',
  'Adventure Works',
  'Tailspin',
  'Wingtip',
  'Litware',
  'Proseware',
  'Woodgrove',
  'Alpine Ski House',
  'Coho Winery',
  'Trey Research',
  'Lucerne Publishing',
];
const companySuffixes = ['Ltd', 'Inc', 'GmbH', 'SA', 'Group', 'Holdings', 'Logistics', 'Partners'];
const industries = [
  'Banking',
  'Consulting',
  'Education',
  'Energy',
  'Healthcare',
  'Manufacturing',
  'Retail',
  'Technology',
  'Transportation',
];
const cities = [
  'San Francisco',
  'Seattle',
  'London',
  'Paris',
  'Berlin',
  'Tokyo',
  'São Paulo',
  'Dublin',
  'Kraków',
  'Zürich',
];
const topics = [
  'Renewal',
  'New licences',
  'Upgrade',
  'Pilot project',
  'Expansion',
  'Support contract',
];
const taskSubjects = [
  'Call back about pricing',
  'Send proposal',
  'Follow up on demo',
  'Prepare QBR deck',
  'Confirm contract terms',
  'Email introduction',
  'Schedule onsite visit',
];

/**
 * Names that need escaping in SOSL (`& ' - * ? ! [ ] +`) and in SOQL string literals (`'`), and
 * accents, so clients' escaping is exercised on every search.
 */
const fixedAccounts = [
  'Acme & Co',
  "O'Reilly Freight",
  'Café Société',
  'Hernández-Zamora Imports',
  'Northwind [EU] Ltd',
  'Star*Light Media',
  'Who? What! Partners',
  'Wingtip+ Toys',
];
const fixedContacts: [string, string, number][] = [
  ['Seán', "O'Brien", 0],
  ['María', 'Hernández-Zamora', 3],
  ['Zoë', 'Müller', 2],
];
const fixedLeads: [string, string, string][] = [
  ['Patrick', "O'Brien", "O'Brien & Sons"],
  ['Anne-Marie', 'Dubois', 'Café Société'],
];

/**
 * Generates one org deterministically from `seed`: the sample users as Salesforce users, and
 * Accounts, Contacts, Leads, Opportunities and Tasks. The sandbox org has its own ids and a
 * " (sandbox)" suffix on record names, so tests can tell the environments apart. Dates are
 * relative to `now`, so open tasks are always a mix of overdue, due today, upcoming and undated.
 */
export function generateSalesforceOrg(
  environment: SalesforceEnvironment,
  size: SampleSize,
  seed: number,
  now: number = Date.now(),
): SalesforceOrg {
  const random = new SeededRandom(environment === 'production' ? seed : seed + 7919);
  const pod = environment === 'production' ? '5g' : '9X';
  const id = (type: SObjectName) => newId(sobjectByName(type)?.keyPrefix ?? '000', pod, random);
  const suffix = environment === 'sandbox' ? ' (sandbox)' : '';
  const day = 24 * 3600 * 1000;
  const dateTime = (offsetDays: number) =>
    `${new Date(now + offsetDays * day).toISOString().slice(0, 19)}.000+0000`;
  const date = (offsetDays: number) => new Date(now + offsetDays * day).toISOString().slice(0, 10);
  const orgId = newId('00D', pod, random);
  const byId: SalesforceOrg['byId'] = new Map();
  const stamp = (type: SObjectName, fields: Record<string, unknown>): SfRecord => {
    const created = dateTime(-random.int(400) - 30);
    const modified = dateTime(-random.int(30));
    const record: SfRecord = {
      Id: id(type),
      IsDeleted: false,
      CreatedDate: created,
      LastModifiedDate: modified,
      SystemModstamp: modified,
      ...fields,
    };
    byId.set(record.Id, { type, record });
    return record;
  };

  const users: SalesforceUser[] = sampleUsers.map((person, index) => {
    const [first = person.displayName, ...rest] = person.displayName
      .replace(/ \(admin\)$/, '')
      .split(' ');
    const last = rest.join(' ') || first;
    const user: SalesforceUser = {
      Id: id('User'),
      IsDeleted: false,
      CreatedDate: dateTime(-900),
      LastModifiedDate: dateTime(-60),
      SystemModstamp: dateTime(-60),
      // Sandbox copies append the sandbox name to every username, which must be unique across all orgs.
      Username: environment === 'sandbox' ? `${person.upn}.uat` : person.upn,
      Name: `${first} ${last}`,
      FirstName: first,
      LastName: last,
      Email: person.upn,
      Alias: `${first.slice(0, 1)}${last.replace(/[^A-Za-z]/g, '').slice(0, 4)}`.toLowerCase(),
      TimeZoneSidKey: timeZones[index % timeZones.length] ?? 'America/Los_Angeles',
      LanguageLocaleKey: 'en_US',
      IsActive: true,
      sampleUser: person,
    };
    byId.set(user.Id, { type: 'User', record: user });
    return user;
  });
  const first = users[0] as SalesforceUser;
  // Most records belong to the first user (the demo's default sign-in), the rest spread over the others.
  const owner = () => (random.next() < 0.6 ? first : random.pick(users)).Id;
  const phone = (area: string) => `+1 ${area} 555 ${String(1000 + random.int(9000))}`;
  const emailOf = (firstName: string, lastName: string, domain: string) =>
    `${firstName}.${lastName}`
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^A-Za-z.]/g, '')
      .toLowerCase() + `@${domain}`;

  const accounts: SfRecord[] = [];
  for (let index = 0; index < counts[size].Account; index += 1) {
    const stem = companyStems[index % companyStems.length] as string;
    const base =
      fixedAccounts[index] ??
      `${stem} ${random.pick(companySuffixes)}${index >= companyStems.length ? ` #${index}` : ''}`;
    const domain = `${base.toLowerCase().replace(/[^a-z]/g, '') || 'example'}.example`;
    accounts.push(
      stamp('Account', {
        Name: `${base}${suffix}`,
        Phone: phone('415'),
        Website: `https://www.${domain}`,
        Industry: random.pick(industries),
        Type: random.pick(['Prospect', 'Customer - Direct', 'Customer - Channel', 'Partner']),
        BillingCity: random.pick(cities),
        BillingCountry: null,
        Description: null,
        OwnerId: index < fixedAccounts.length ? first.Id : owner(),
      }),
    );
  }

  const contacts: SfRecord[] = [];
  for (let index = 0; index < counts[size].Contact; index += 1) {
    const fixed = fixedContacts[index];
    const [firstName, lastName, accountIndex] = fixed ?? [
      random.pick(firstNames),
      random.pick(lastNames),
      random.int(accounts.length),
    ];
    const account = accounts[accountIndex] as SfRecord;
    const last = `${lastName}${suffix}`;
    contacts.push(
      stamp('Contact', {
        FirstName: firstName,
        LastName: last,
        Name: `${firstName} ${last}`,
        Email: emailOf(firstName, lastName, 'contact.example'),
        Phone: phone('206'),
        MobilePhone: random.next() < 0.5 ? phone('425') : null,
        Title: random.pick(['Buyer', 'CFO', 'IT Manager', 'Head of Sales', 'Procurement Lead']),
        AccountId: account.Id,
        OwnerId: fixed ? first.Id : owner(),
      }),
    );
  }

  const leads: SfRecord[] = [];
  for (let index = 0; index < counts[size].Lead; index += 1) {
    const fixed = fixedLeads[index];
    const [firstName, lastName, company] = fixed ?? [
      random.pick(firstNames),
      random.pick(lastNames),
      `${random.pick(companyStems)} ${random.pick(companySuffixes)}`,
    ];
    const last = `${lastName}${suffix}`;
    const status = random.pick(leadStatuses);
    leads.push(
      stamp('Lead', {
        FirstName: firstName,
        LastName: last,
        Name: `${firstName} ${last}`,
        Company: company,
        Title: random.pick(['Director', 'Owner', 'VP Operations']),
        Email: emailOf(firstName, lastName, 'lead.example'),
        Phone: phone('650'),
        Status: status,
        IsConverted: status === 'Closed - Converted',
        OwnerId: fixed ? first.Id : owner(),
      }),
    );
  }

  const opportunities: SfRecord[] = [];
  for (let index = 0; index < counts[size].Opportunity; index += 1) {
    const account = (index < 2 ? accounts[index] : random.pick(accounts)) as SfRecord;
    const stage = random.pick(opportunityStages);
    const accountName = String(account.Name).replace(suffix, '');
    opportunities.push(
      stamp('Opportunity', {
        Name: `${accountName} - ${random.pick(topics)}${suffix}`,
        StageName: stage.label,
        Amount: (random.int(500) + 1) * 1000,
        CloseDate: date(random.int(120) - 20),
        Probability: stage.probability,
        IsClosed: stage.closed,
        IsWon: stage.won,
        AccountId: account.Id,
        OwnerId: index < 2 ? first.Id : owner(),
      }),
    );
  }

  const tasks: SfRecord[] = [];
  for (let index = 0; index < counts[size].Task; index += 1) {
    const status =
      random.next() < 0.7
        ? random.pick(taskStatuses.filter((candidate) => !candidate.isClosed))
        : (taskStatuses.find((candidate) => candidate.isClosed) ?? taskStatuses[0]);
    const priority = random.pick([...taskPriorities, 'Normal']);
    // A task about a lead cannot also be related to an account or opportunity.
    const whoIsLead = random.next() < 0.2;
    const who = random.next() < 0.75 ? random.pick(whoIsLead ? leads : contacts) : undefined;
    const what = whoIsLead
      ? undefined
      : random.next() < 0.8
        ? random.pick(random.next() < 0.5 ? accounts : opportunities)
        : undefined;
    const accountId = what
      ? String(what.Id).startsWith('001')
        ? what.Id
        : what.AccountId
      : who && !whoIsLead
        ? who.AccountId
        : null;
    tasks.push(
      stamp('Task', {
        Subject: `${random.pick(taskSubjects)}${suffix}`,
        Status: status?.label,
        Priority: priority,
        ActivityDate: random.next() < 0.15 ? null : date(random.int(50) - 20),
        IsClosed: status?.isClosed ?? false,
        IsHighPriority: priority === 'High',
        Description: random.next() < 0.3 ? 'Sample task' : null,
        OwnerId: owner(),
        WhoId: who?.Id ?? null,
        WhatId: what?.Id ?? null,
        AccountId: accountId ?? null,
      }),
    );
  }

  return {
    environment,
    orgId,
    name: environment === 'production' ? 'Contoso (sample)' : 'Contoso (sample) UAT sandbox',
    users,
    records: {
      Account: accounts,
      Contact: contacts,
      Lead: leads,
      Opportunity: opportunities,
      Task: tasks,
    },
    byId,
  };
}
