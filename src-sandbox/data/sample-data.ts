import { SeededRandom } from './seeded-random';
import { SALES_GROUP_ID, sampleUsers, SUPPORT_GROUP_ID } from './sample-users';
import {
  applicationUserRow,
  membershipRow,
  peopleSystemUsers,
  sampleTeams,
  syntheticSystemUser,
} from './directory-data';
import { contosoSample, type SampleOrgProfile } from './sample-orgs';

/** One Dataverse row: column values by logical name, plus the target table of each lookup. */
export interface Row {
  [column: string]: unknown;
}

/** The whole sample org: rows per table logical name. */
export interface SampleData {
  readonly tables: Record<
    | 'systemuser'
    | 'team'
    | 'teammembership'
    | 'account'
    | 'contact'
    | 'lead'
    | 'opportunity'
    | 'task',
    Row[]
  >;
  /** Lookup target table of each row's lookup columns, by row key then column. */
  readonly lookupTargets: Map<string, Record<string, string>>;
  readonly organizationId: string;
  readonly businessUnitId: string;
  readonly currencyId: string;
}

/** Ordinal order of two ids: the order of the directory tables and their paging cookies. */
export const compareKeys = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export type SampleSize = 'small' | 'large';

const counts: Record<
  SampleSize,
  Record<'account' | 'contact' | 'lead' | 'opportunity' | 'task', number>
> = {
  small: { account: 60, contact: 160, lead: 80, opportunity: 80, task: 120 },
  large: { account: 10_000, contact: 26_000, lead: 8_000, opportunity: 5_000, task: 4_000 },
};

// Names that exercise what real CRMs hold: apostrophes, accents, CJK, very long names, duplicates
// (company names are each org's own, in sample-orgs.ts).
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
  'Katarzyna',
  'Liam',
  'Mei',
  'Noah',
  'Olga',
  '伟',
  '花子',
  'Priya',
  'Rafael',
  'Sofia',
  'Tomás',
  'Uma',
  'Wei',
  'Yusuf',
];
const lastNames = [
  "O'Brien",
  "O'Connor",
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
  '王',
  '佐藤',
  'Okafor',
  'Silva',
  'Novak',
  'Hernández-Zamora',
  'Wolfeschlegelsteinhausenbergerdorff',
  'Smith',
];
const companySuffixes = [
  'Ltd',
  'Inc',
  'GmbH',
  'SA',
  'Group',
  'Holdings',
  'Pharmaceuticals',
  'Logistics',
  'Bank',
  'Partners International Consolidated Worldwide Services',
];
const cities = [
  'Redmond',
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
  'Upgrade to premium',
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
 * Generates one sample org ("Contoso (sample)" unless told) deterministically from `seed`. Dates are
 * relative to `now` so open tasks are always a mix of overdue and upcoming.
 */
export function generateSampleData(
  size: SampleSize,
  seed: number,
  now: number = Date.now(),
  org: SampleOrgProfile = contosoSample,
  /** Synthetic people added to the org's systemusers (large directories). */
  directoryUsers = 0,
): SampleData {
  const random = new SeededRandom(seed + org.seedOffset);
  const { companyStems, idTag } = org;
  const businessUnitId = `0b0b0b0b-${idTag}-4000-8000-000000000001`;
  const currencyId = `c0c0c0c0-${idTag}-4000-8000-000000000001`;
  const joined = now - 400 * 24 * 3600 * 1000;
  // Only the demo people own rows; the directory also holds synthetic people and the application user.
  const users = peopleSystemUsers(sampleUsers, businessUnitId, idTag, joined);
  const lookupTargets = new Map<string, Record<string, string>>();
  // Most rows belong to the first user (the demo's default sign-in), the rest spread over the others.
  const owner = () => (random.next() < 0.6 ? users[0] : random.pick(users))?.systemuserid as string;
  const day = 24 * 3600 * 1000;
  const date = (offsetDays: number) =>
    new Date(now + offsetDays * day).toISOString().replace(/\.\d{3}Z$/, 'Z');
  let version = 1_000_000;
  const stamp = (row: Row): Row => ({
    ...row,
    versionnumber: ++version,
    createdon: date(-random.int(400) - 1),
    modifiedon: date(-random.int(30)),
  });
  const person = () => {
    const first = random.pick(firstNames);
    const last = random.pick(lastNames);
    return {
      first,
      last,
      full: /[\u3040-\u9fff]/.test(last + first) ? `${last}${first}` : `${first} ${last}`,
    };
  };
  const emailOf = (first: string, last: string, domain: string) =>
    `${first}.${last}`
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^A-Za-z.]/g, '')
      .toLowerCase()
      .replace(/^\.|\.$/g, '') + `@${domain}`;

  const accounts: Row[] = [];
  for (let i = 0; i < counts[size].account; i += 1) {
    const stem = companyStems[i % companyStems.length] as string;
    const name =
      i < companyStems.length
        ? `${stem} (sample)`
        : `${stem} ${random.pick(companySuffixes)} ${i % 7 === 0 ? '' : `#${i}`}`.trim();
    accounts.push(
      stamp({
        accountid: random.guid(),
        name,
        accountnumber: `ACC-${String(10000 + i)}`,
        telephone1: `+1 425 555 ${String(1000 + random.int(9000))}`,
        emailaddress1: `info@${stem.toLowerCase().replace(/[^a-z]/g, '') || 'example'}.example`,
        websiteurl: `https://www.${stem.toLowerCase().replace(/[^a-z]/g, '') || 'example'}.example`,
        address1_city: random.pick(cities),
        revenue: random.int(5000) * 10_000,
        _transactioncurrencyid_value: currencyId,
        _primarycontactid_value: null,
        _ownerid_value: owner(),
        statecode: random.next() < 0.95 ? 0 : 1,
        statuscode: 1,
      }),
    );
  }
  for (const account of accounts) if (account.statecode === 1) account.statuscode = 2;

  const contacts: Row[] = [];
  for (let i = 0; i < counts[size].contact; i += 1) {
    const { first, last, full } = person();
    const account = random.pick(accounts);
    const id = random.guid();
    contacts.push(
      stamp({
        contactid: id,
        fullname: full,
        firstname: first,
        lastname: last,
        emailaddress1: emailOf(first, last, org.contactDomain),
        telephone1: `+1 206 555 ${String(1000 + random.int(9000))}`,
        jobtitle: random.pick(['Buyer', 'CFO', 'IT Manager', 'Head of Sales', 'Procurement Lead']),
        _parentcustomerid_value: account.accountid,
        _ownerid_value: owner(),
        statecode: 0,
        statuscode: 1,
      }),
    );
    lookupTargets.set(`contact:${id}`, { _parentcustomerid_value: 'account' });
    if (account._primarycontactid_value === null) account._primarycontactid_value = id;
  }
  for (const account of accounts)
    if (account._primarycontactid_value)
      lookupTargets.set(`account:${String(account.accountid)}`, {
        _primarycontactid_value: 'contact',
      });

  const leads: Row[] = [];
  for (let i = 0; i < counts[size].lead; i += 1) {
    const { first, last, full } = person();
    const company = `${random.pick(companyStems)} ${random.pick(companySuffixes)}`;
    leads.push(
      stamp({
        leadid: random.guid(),
        fullname: full,
        firstname: first,
        lastname: last,
        subject: `${random.pick(topics)} for ${company}`,
        companyname: company,
        emailaddress1: emailOf(first, last, 'lead.example'),
        telephone1: `+44 20 7946 ${String(1000 + random.int(9000))}`,
        jobtitle: random.pick(['Director', 'Owner', 'VP Operations']),
        estimatedvalue: random.int(200) * 1000,
        _transactioncurrencyid_value: currencyId,
        _ownerid_value: owner(),
        statecode: 0,
        statuscode: random.pick([1, 2]),
      }),
    );
  }

  const opportunities: Row[] = [];
  for (let i = 0; i < counts[size].opportunity; i += 1) {
    const account = random.pick(accounts);
    const id = random.guid();
    opportunities.push(
      stamp({
        opportunityid: id,
        name: `${String(account.name).replace(' (sample)', '')} ${random.pick(topics).toLowerCase()}`,
        estimatedvalue: random.int(500) * 1000 + 500,
        _transactioncurrencyid_value: currencyId,
        estimatedclosedate: date(random.int(120) - 20).slice(0, 10),
        closeprobability: random.int(100),
        _customerid_value: account.accountid,
        _parentaccountid_value: account.accountid,
        _ownerid_value: owner(),
        statecode: 0,
        statuscode: random.pick([1, 2]),
      }),
    );
    lookupTargets.set(`opportunity:${id}`, {
      _customerid_value: 'account',
      _parentaccountid_value: 'account',
    });
  }

  const regardingPool: [string, Row[], string][] = [
    ['account', accounts, 'accountid'],
    ['contact', contacts, 'contactid'],
    ['opportunity', opportunities, 'opportunityid'],
  ];
  const tasks: Row[] = [];
  for (let i = 0; i < counts[size].task; i += 1) {
    const [table, rows, key] = random.pick(regardingPool);
    const regarding = random.pick(rows);
    const id = random.guid();
    const state = random.next() < 0.75 ? 0 : random.next() < 0.8 ? 1 : 2;
    tasks.push(
      stamp({
        activityid: id,
        subject: random.pick(taskSubjects),
        description: 'Sample task',
        scheduledend: date(random.int(20) - 7),
        prioritycode: random.pick([0, 1, 1, 2]),
        percentcomplete: state === 1 ? 100 : 0,
        _regardingobjectid_value: regarding[key],
        _ownerid_value: owner(),
        statecode: state,
        statuscode: state === 0 ? random.pick([2, 3, 4]) : state === 1 ? 5 : 6,
      }),
    );
    lookupTargets.set(`task:${id}`, { _regardingobjectid_value: table });
  }

  // The directory: people, synthetic people, the application user, in primary key order (the
  // order Dataverse pages a table in without $orderby), and their teams.
  const directory = [...users];
  for (let index = 1; index <= directoryUsers; index += 1)
    directory.push(syntheticSystemUser(index, idTag, businessUnitId, joined));
  directory.push(applicationUserRow(idTag, businessUnitId, joined));
  const teams = sampleTeams(idTag, businessUnitId, org.displayName, joined);
  const [defaultTeam, salesTeam, supportTeam] = teams.map((team) => String(team.teamid));
  const memberships: Row[] = [];
  for (const row of directory) {
    const id = String(row.systemuserid);
    const person = sampleUsers.find(
      (candidate) => candidate.oid === row.azureactivedirectoryobjectid,
    );
    const synthetic = /-9000-/.test(id) ? Number(id.slice(-12)) : 0;
    memberships.push(membershipRow(defaultTeam as string, id));
    if (person?.groups.includes(SALES_GROUP_ID) || (synthetic > 0 && synthetic % 5 === 0))
      memberships.push(membershipRow(salesTeam as string, id));
    if (person?.groups.includes(SUPPORT_GROUP_ID) || (synthetic > 0 && synthetic % 7 === 0))
      memberships.push(membershipRow(supportTeam as string, id));
  }
  memberships.sort((a, b) => compareKeys(String(a.teammembershipid), String(b.teammembershipid)));
  for (const row of [...directory, ...teams, ...memberships]) row.versionnumber = ++version;

  return {
    tables: {
      systemuser: directory,
      team: teams,
      teammembership: memberships,
      account: accounts,
      contact: contacts,
      lead: leads,
      opportunity: opportunities,
      task: tasks,
    },
    lookupTargets,
    organizationId: `0a0a0a0a-${idTag}-4000-8000-000000000001`,
    businessUnitId,
    currencyId,
  };
}
