/** Column types the stand-in distinguishes (OData's Edm types, plus lookups and choices). */
export type ColumnType =
  | 'guid'
  | 'string'
  | 'int'
  | 'decimal'
  | 'money'
  | 'datetime'
  | 'date'
  | 'boolean'
  | 'lookup'
  | 'choice';

/** A table as the Web API exposes it. */
export interface EntityMetadata {
  readonly logicalName: string;
  readonly setName: string;
  readonly primaryKey: string;
  readonly primaryName: string;
  readonly objectTypeCode: number;
  readonly columns: Readonly<Record<string, ColumnType>>;
  /** Labels of choice columns (statecode, statuscode, prioritycode), for formatted values. */
  readonly labels?: Readonly<Record<string, Readonly<Record<number, string>>>>;
  /** Single-valued navigation properties for $expand: nav name → lookup column and target table. */
  readonly navigations?: Readonly<
    Record<string, { readonly column: string; readonly target: string }>
  >;
  /**
   * Collection-valued navigation properties (one-to-many): nav name → the related table and its
   * lookup column that points back at this table.
   */
  readonly collections?: Readonly<
    Record<string, { readonly table: string; readonly column: string }>
  >;
  /**
   * Pages by primary key (the `last` id of the paging cookie) instead of by page number: the
   * directory tables, which can hold tens of thousands of rows, read a page without a scan.
   */
  readonly keysetPaging?: boolean;
  /** Many-to-many navigation properties: nav name → the intersect table and the related table. */
  readonly manyToMany?: Readonly<
    Record<string, { readonly intersect: string; readonly table: string }>
  >;
  /** Valid statuscode values per statecode (https://learn.microsoft.com/power-apps/developer/data-platform/reference/entities/task). */
  readonly statusByState?: Readonly<Record<number, readonly number[]>>;
}

const audit = {
  createdon: 'datetime',
  modifiedon: 'datetime',
  versionnumber: 'int',
  _ownerid_value: 'lookup',
  statecode: 'choice',
  statuscode: 'choice',
} as const;

/** The tables the sandbox serves, with the columns our clients use. */
export const entities: readonly EntityMetadata[] = [
  {
    logicalName: 'account',
    setName: 'accounts',
    primaryKey: 'accountid',
    primaryName: 'name',
    objectTypeCode: 1,
    columns: {
      accountid: 'guid',
      name: 'string',
      accountnumber: 'string',
      telephone1: 'string',
      emailaddress1: 'string',
      websiteurl: 'string',
      address1_city: 'string',
      revenue: 'money',
      _transactioncurrencyid_value: 'lookup',
      _primarycontactid_value: 'lookup',
      ...audit,
    },
    labels: {
      statecode: { 0: 'Active', 1: 'Inactive' },
      statuscode: { 1: 'Active', 2: 'Inactive' },
    },
    navigations: { primarycontactid: { column: '_primarycontactid_value', target: 'contact' } },
    // Relationship names as the account EntityType documents them.
    collections: {
      contact_customer_accounts: { table: 'contact', column: '_parentcustomerid_value' },
      Account_Tasks: { table: 'task', column: '_regardingobjectid_value' },
      opportunity_customer_accounts: { table: 'opportunity', column: '_customerid_value' },
      opportunity_parent_account: { table: 'opportunity', column: '_parentaccountid_value' },
    },
  },
  {
    logicalName: 'contact',
    setName: 'contacts',
    primaryKey: 'contactid',
    primaryName: 'fullname',
    objectTypeCode: 2,
    columns: {
      contactid: 'guid',
      fullname: 'string',
      firstname: 'string',
      lastname: 'string',
      emailaddress1: 'string',
      telephone1: 'string',
      jobtitle: 'string',
      _parentcustomerid_value: 'lookup',
      ...audit,
    },
    labels: {
      statecode: { 0: 'Active', 1: 'Inactive' },
      statuscode: { 1: 'Active', 2: 'Inactive' },
    },
    navigations: {
      parentcustomerid_account: { column: '_parentcustomerid_value', target: 'account' },
    },
    collections: {
      Contact_Tasks: { table: 'task', column: '_regardingobjectid_value' },
      account_primary_contact: { table: 'account', column: '_primarycontactid_value' },
    },
  },
  {
    logicalName: 'lead',
    setName: 'leads',
    primaryKey: 'leadid',
    primaryName: 'fullname',
    objectTypeCode: 4,
    columns: {
      leadid: 'guid',
      fullname: 'string',
      firstname: 'string',
      lastname: 'string',
      subject: 'string',
      companyname: 'string',
      emailaddress1: 'string',
      telephone1: 'string',
      jobtitle: 'string',
      estimatedvalue: 'money',
      _transactioncurrencyid_value: 'lookup',
      ...audit,
    },
    labels: {
      statecode: { 0: 'Open', 1: 'Qualified', 2: 'Disqualified' },
      statuscode: {
        1: 'New',
        2: 'Contacted',
        3: 'Qualified',
        4: 'Lost',
        5: 'Cannot Contact',
        6: 'No Longer Interested',
        7: 'Canceled',
      },
    },
  },
  {
    logicalName: 'opportunity',
    setName: 'opportunities',
    primaryKey: 'opportunityid',
    primaryName: 'name',
    objectTypeCode: 3,
    columns: {
      opportunityid: 'guid',
      name: 'string',
      estimatedvalue: 'money',
      _transactioncurrencyid_value: 'lookup',
      estimatedclosedate: 'date',
      closeprobability: 'int',
      _customerid_value: 'lookup',
      _parentaccountid_value: 'lookup',
      ...audit,
    },
    labels: {
      statecode: { 0: 'Open', 1: 'Won', 2: 'Lost' },
      statuscode: { 1: 'In Progress', 2: 'On Hold', 3: 'Won', 4: 'Canceled', 5: 'Out-Sold' },
    },
    navigations: {
      customerid_account: { column: '_customerid_value', target: 'account' },
      parentaccountid: { column: '_parentaccountid_value', target: 'account' },
    },
    collections: { Opportunity_Tasks: { table: 'task', column: '_regardingobjectid_value' } },
  },
  {
    logicalName: 'task',
    setName: 'tasks',
    primaryKey: 'activityid',
    primaryName: 'subject',
    objectTypeCode: 4212,
    columns: {
      activityid: 'guid',
      subject: 'string',
      description: 'string',
      scheduledend: 'datetime',
      prioritycode: 'choice',
      percentcomplete: 'int',
      _regardingobjectid_value: 'lookup',
      ...audit,
    },
    labels: {
      statecode: { 0: 'Open', 1: 'Completed', 2: 'Canceled' },
      statuscode: {
        2: 'Not Started',
        3: 'In Progress',
        4: 'Waiting on someone else',
        5: 'Completed',
        6: 'Canceled',
        7: 'Deferred',
      },
      prioritycode: { 0: 'Low', 1: 'Normal', 2: 'High' },
    },
    navigations: {
      regardingobjectid_account_task: { column: '_regardingobjectid_value', target: 'account' },
      regardingobjectid_contact_task: { column: '_regardingobjectid_value', target: 'contact' },
      regardingobjectid_opportunity_task: {
        column: '_regardingobjectid_value',
        target: 'opportunity',
      },
    },
    statusByState: { 0: [2, 3, 4, 7], 1: [5], 2: [6] },
  },
  {
    logicalName: 'systemuser',
    setName: 'systemusers',
    primaryKey: 'systemuserid',
    primaryName: 'fullname',
    objectTypeCode: 8,
    // https://learn.microsoft.com/power-apps/developer/data-platform/reference/entities/systemuser
    columns: {
      systemuserid: 'guid',
      fullname: 'string',
      firstname: 'string',
      lastname: 'string',
      internalemailaddress: 'string',
      domainname: 'string',
      azureactivedirectoryobjectid: 'guid',
      title: 'string',
      isdisabled: 'boolean',
      accessmode: 'choice',
      applicationid: 'guid',
      islicensed: 'boolean',
      _businessunitid_value: 'lookup',
      createdon: 'datetime',
      modifiedon: 'datetime',
      versionnumber: 'int',
    },
    labels: {
      accessmode: {
        0: 'Read-Write',
        1: 'Administrative',
        2: 'Read',
        3: 'Support User',
        4: 'Non-interactive',
        5: 'Delegated Admin',
      },
    },
    keysetPaging: true,
    manyToMany: { teammembership_association: { intersect: 'teammembership', table: 'team' } },
  },
  {
    logicalName: 'team',
    setName: 'teams',
    primaryKey: 'teamid',
    primaryName: 'name',
    objectTypeCode: 9,
    // https://learn.microsoft.com/power-apps/developer/data-platform/reference/entities/team
    columns: {
      teamid: 'guid',
      name: 'string',
      teamtype: 'choice',
      azureactivedirectoryobjectid: 'guid',
      membershiptype: 'choice',
      isdefault: 'boolean',
      _businessunitid_value: 'lookup',
      createdon: 'datetime',
      modifiedon: 'datetime',
      versionnumber: 'int',
    },
    labels: {
      teamtype: { 0: 'Owner', 1: 'Access', 2: 'Security Group', 3: 'Office Group' },
      membershiptype: { 0: 'Members and guests', 1: 'Members', 2: 'Owners', 3: 'Guests' },
    },
    keysetPaging: true,
    manyToMany: {
      teammembership_association: { intersect: 'teammembership', table: 'systemuser' },
    },
  },
  {
    logicalName: 'teammembership',
    setName: 'teammemberships',
    primaryKey: 'teammembershipid',
    primaryName: 'teammembershipid',
    objectTypeCode: 23,
    // The intersect table of the team-systemuser relationship, readable like a table
    // (https://learn.microsoft.com/power-apps/developer/data-platform/reference/entities/teammembership).
    columns: {
      teammembershipid: 'guid',
      teamid: 'guid',
      systemuserid: 'guid',
      versionnumber: 'int',
    },
    keysetPaging: true,
  },
];

/** Looks a table up by its entity set name (case-sensitive, as the Web API is). */
export function entityBySet(setName: string): EntityMetadata | undefined {
  return entities.find((entity) => entity.setName === setName);
}

export function entityByLogicalName(logicalName: string): EntityMetadata | undefined {
  return entities.find((entity) => entity.logicalName === logicalName);
}
