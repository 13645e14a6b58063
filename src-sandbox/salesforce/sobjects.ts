/**
 * The standard objects the stand-in serves and the fields of each it knows, with their API names,
 * types and whether they are updatable (field reference:
 * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_list.htm).
 * Field names are case-insensitive in SOQL, SOSL and PATCH bodies; answers use these spellings.
 */
export const sobjectNames = ['Account', 'Contact', 'Lead', 'Opportunity', 'Task', 'User'] as const;
export type SObjectName = (typeof sobjectNames)[number];

export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'email'
  | 'phone'
  | 'url'
  | 'picklist'
  | 'date'
  | 'datetime'
  | 'boolean'
  | 'currency'
  | 'double'
  | 'reference';

/** One field of an object. */
export interface FieldMetadata {
  readonly name: string;
  readonly type: FieldType;
  readonly updatable: boolean;
  /** Allowed values; a restricted picklist refuses any other value on update. */
  readonly picklist?: { readonly values: readonly string[]; readonly restricted: boolean };
  /** A lookup: the relationship name used in field paths (`What.Name`) and the objects it can point to. */
  readonly reference?: {
    readonly relationshipName: string;
    readonly to: readonly SObjectName[];
    readonly polymorphic: boolean;
  };
}

/** One object: its key prefix (the first three characters of its ids) and fields. */
export interface SObjectMetadata {
  readonly name: SObjectName;
  readonly label: string;
  readonly labelPlural: string;
  readonly keyPrefix: string;
  /** The field SOSL NAME FIELDS searches and record pages show. */
  readonly nameField: string;
  readonly searchable: boolean;
  readonly fields: readonly FieldMetadata[];
}

const field = (
  name: string,
  type: FieldType,
  updatable = true,
  extra: Partial<FieldMetadata> = {},
): FieldMetadata => ({ name, type, updatable, ...extra });
const lookup = (
  name: string,
  relationshipName: string,
  to: SObjectName[],
  updatable = true,
  polymorphic = to.length > 1,
): FieldMetadata => ({
  name,
  type: 'reference',
  updatable,
  reference: { relationshipName, to, polymorphic },
});
const picklist = (
  name: string,
  values: string[],
  restricted: boolean,
  updatable = true,
): FieldMetadata => ({ name, type: 'picklist', updatable, picklist: { values, restricted } });
const system = [
  field('Id', 'id', false),
  field('IsDeleted', 'boolean', false),
  field('CreatedDate', 'datetime', false),
  field('LastModifiedDate', 'datetime', false),
  field('SystemModstamp', 'datetime', false),
];

/**
 * The default Task status and priority values of a new org. A status value's IsClosed flag, not its
 * label, closes a task (TaskStatus,
 * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_taskstatus.htm).
 */
export const taskStatuses: readonly { readonly label: string; readonly isClosed: boolean }[] = [
  { label: 'Not Started', isClosed: false },
  { label: 'In Progress', isClosed: false },
  { label: 'Completed', isClosed: true },
  { label: 'Waiting on someone else', isClosed: false },
  { label: 'Deferred', isClosed: false },
];
export const taskPriorities = ['High', 'Normal', 'Low'] as const;
export const leadStatuses = [
  'Open - Not Contacted',
  'Working - Contacted',
  'Closed - Converted',
  'Closed - Not Converted',
] as const;
export const opportunityStages: readonly {
  readonly label: string;
  readonly probability: number;
  readonly closed: boolean;
  readonly won: boolean;
}[] = [
  { label: 'Prospecting', probability: 10, closed: false, won: false },
  { label: 'Qualification', probability: 10, closed: false, won: false },
  { label: 'Needs Analysis', probability: 20, closed: false, won: false },
  { label: 'Value Proposition', probability: 50, closed: false, won: false },
  { label: 'Proposal/Price Quote', probability: 75, closed: false, won: false },
  { label: 'Negotiation/Review', probability: 90, closed: false, won: false },
  { label: 'Closed Won', probability: 100, closed: true, won: true },
  { label: 'Closed Lost', probability: 0, closed: true, won: false },
];

export const sobjects: readonly SObjectMetadata[] = [
  {
    name: 'Account',
    label: 'Account',
    labelPlural: 'Accounts',
    keyPrefix: '001',
    nameField: 'Name',
    searchable: true,
    fields: [
      ...system,
      field('Name', 'string'),
      field('Phone', 'phone'),
      field('Website', 'url'),
      picklist(
        'Industry',
        [
          'Banking',
          'Consulting',
          'Education',
          'Energy',
          'Healthcare',
          'Manufacturing',
          'Retail',
          'Technology',
          'Transportation',
        ],
        false,
      ),
      picklist(
        'Type',
        ['Prospect', 'Customer - Direct', 'Customer - Channel', 'Partner', 'Other'],
        false,
      ),
      field('BillingCity', 'string'),
      field('BillingCountry', 'string'),
      field('Description', 'textarea'),
      lookup('OwnerId', 'Owner', ['User']),
    ],
  },
  {
    name: 'Contact',
    label: 'Contact',
    labelPlural: 'Contacts',
    keyPrefix: '003',
    nameField: 'Name',
    searchable: true,
    fields: [
      ...system,
      field('FirstName', 'string'),
      field('LastName', 'string'),
      field('Name', 'string', false),
      field('Email', 'email'),
      field('Phone', 'phone'),
      field('MobilePhone', 'phone'),
      field('Title', 'string'),
      lookup('AccountId', 'Account', ['Account']),
      lookup('OwnerId', 'Owner', ['User']),
    ],
  },
  {
    name: 'Lead',
    label: 'Lead',
    labelPlural: 'Leads',
    keyPrefix: '00Q',
    nameField: 'Name',
    searchable: true,
    fields: [
      ...system,
      field('FirstName', 'string'),
      field('LastName', 'string'),
      field('Name', 'string', false),
      field('Company', 'string'),
      field('Title', 'string'),
      field('Email', 'email'),
      field('Phone', 'phone'),
      picklist('Status', [...leadStatuses], true),
      field('IsConverted', 'boolean', false),
      lookup('OwnerId', 'Owner', ['User'], true, true),
    ],
  },
  {
    name: 'Opportunity',
    label: 'Opportunity',
    labelPlural: 'Opportunities',
    keyPrefix: '006',
    nameField: 'Name',
    searchable: true,
    fields: [
      ...system,
      field('Name', 'string'),
      picklist(
        'StageName',
        opportunityStages.map((stage) => stage.label),
        true,
      ),
      field('Amount', 'currency'),
      field('CloseDate', 'date'),
      field('Probability', 'double'),
      field('IsClosed', 'boolean', false),
      field('IsWon', 'boolean', false),
      lookup('AccountId', 'Account', ['Account']),
      lookup('OwnerId', 'Owner', ['User']),
    ],
  },
  {
    name: 'Task',
    label: 'Task',
    labelPlural: 'Tasks',
    keyPrefix: '00T',
    nameField: 'Subject',
    searchable: true,
    // Owner, Who and What are polymorphic (User or Queue; Contact or Lead; any object), so SOQL
    // resolves them through the Name object.
    fields: [
      ...system,
      field('Subject', 'string'),
      picklist(
        'Status',
        taskStatuses.map((status) => status.label),
        true,
      ),
      picklist('Priority', [...taskPriorities], true),
      field('ActivityDate', 'date'),
      field('IsClosed', 'boolean', false),
      field('IsHighPriority', 'boolean', false),
      field('Description', 'textarea'),
      lookup('OwnerId', 'Owner', ['User'], true, true),
      lookup('WhoId', 'Who', ['Contact', 'Lead']),
      lookup('WhatId', 'What', ['Account', 'Opportunity']),
      lookup('AccountId', 'Account', ['Account'], false),
    ],
  },
  {
    name: 'User',
    label: 'User',
    labelPlural: 'Users',
    keyPrefix: '005',
    nameField: 'Name',
    searchable: false,
    fields: [
      ...system,
      field('Username', 'string'),
      field('Name', 'string', false),
      field('FirstName', 'string'),
      field('LastName', 'string'),
      field('Alias', 'string'),
      field('Email', 'email'),
      field('TimeZoneSidKey', 'picklist'),
      field('LanguageLocaleKey', 'picklist'),
      field('IsActive', 'boolean'),
    ],
  },
];

/**
 * The fields of the Name object, which polymorphic relationships (`Who`, `What`, `Owner` on Task)
 * resolve to in SOQL (https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_relationships_and_polymorph_keys.htm;
 * fields: https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_name.htm).
 */
export const nameObjectFields: readonly FieldMetadata[] = [
  'Name',
  'Type',
  'FirstName',
  'LastName',
  'Alias',
  'Email',
  'Phone',
  'Title',
  'Username',
].reduce<FieldMetadata[]>(
  (all, name) => [...all, field(name, 'string', false)],
  [field('Id', 'id', false)],
);

/** An object by name, case-insensitively. */
export function sobjectByName(name: string): SObjectMetadata | undefined {
  return sobjects.find((candidate) => candidate.name.toLowerCase() === name.toLowerCase());
}

/** An object by the key prefix of one of its ids. */
export function sobjectOfId(id: string): SObjectMetadata | undefined {
  return sobjects.find((candidate) => id.startsWith(candidate.keyPrefix));
}

/** A field of an object by name, case-insensitively. */
export function fieldOf(fields: readonly FieldMetadata[], name: string): FieldMetadata | undefined {
  return fields.find((candidate) => candidate.name.toLowerCase() === name.toLowerCase());
}

/** A lookup field by its relationship name (`Account`, `What`), case-insensitively. */
export function relationshipOf(sobject: SObjectMetadata, name: string): FieldMetadata | undefined {
  return sobject.fields.find(
    (candidate) => candidate.reference?.relationshipName.toLowerCase() === name.toLowerCase(),
  );
}
