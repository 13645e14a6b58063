/** What the launcher shows for each Dynamics table it searches. */
export interface SearchEntity {
  readonly logicalName: 'lead' | 'contact' | 'account' | 'opportunity';
  readonly setName: string;
  readonly primaryKey: string;
  /** Columns `contains` searches in the OData fallback. */
  readonly nameColumns: readonly string[];
  /** Only what a result row shows and its actions use (email, phone): $select. */
  readonly select: readonly string[];
}

export const searchEntities: readonly SearchEntity[] = [
  {
    logicalName: 'contact',
    setName: 'contacts',
    primaryKey: 'contactid',
    nameColumns: ['fullname', 'emailaddress1'],
    select: ['fullname', 'emailaddress1', 'telephone1', '_parentcustomerid_value'],
  },
  {
    logicalName: 'account',
    setName: 'accounts',
    primaryKey: 'accountid',
    nameColumns: ['name'],
    select: ['name', 'address1_city', 'telephone1', 'emailaddress1'],
  },
  {
    logicalName: 'lead',
    setName: 'leads',
    primaryKey: 'leadid',
    nameColumns: ['fullname', 'companyname'],
    select: ['fullname', 'companyname', 'subject', 'emailaddress1', 'telephone1'],
  },
  {
    logicalName: 'opportunity',
    setName: 'opportunities',
    primaryKey: 'opportunityid',
    nameColumns: ['name'],
    select: ['name', 'estimatedvalue', '_customerid_value'],
  },
];
