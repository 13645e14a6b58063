import type { SampleUser } from '../data/sample-users';
import type { SObjectName } from './sobjects';

/** The two Salesforce environments a client signs in to: production orgs and sandbox orgs. */
export const salesforceEnvironments = ['production', 'sandbox'] as const;
export type SalesforceEnvironment = (typeof salesforceEnvironments)[number];

/** One record: field values by API name (`Id`, `Name`, `OwnerId`, ...). */
export interface SfRecord {
  [field: string]: unknown;
  readonly Id: string;
}

/** A Salesforce user, one per Entra sample user, with the locale its date literals use. */
export interface SalesforceUser extends SfRecord {
  readonly Username: string;
  readonly Name: string;
  readonly FirstName: string;
  readonly LastName: string;
  readonly Email: string;
  readonly Alias: string;
  readonly TimeZoneSidKey: string;
  readonly LanguageLocaleKey: string;
  readonly IsActive: boolean;
  /** The Entra sample user this Salesforce user stands for. */
  readonly sampleUser: SampleUser;
}

/** One org: its 18-character id, users and records, with an index by id. */
export interface SalesforceOrg {
  readonly environment: SalesforceEnvironment;
  readonly orgId: string;
  readonly name: string;
  readonly users: readonly SalesforceUser[];
  readonly records: Record<Exclude<SObjectName, 'User'>, SfRecord[]>;
  /** Every record and user by 18-character id. */
  readonly byId: Map<string, { readonly type: SObjectName; readonly record: SfRecord }>;
}

/** A user of `org` by id, username or the Entra UPN it stands for. */
export function findOrgUser(org: SalesforceOrg, key: string): SalesforceUser | undefined {
  const lower = key.toLowerCase();
  return org.users.find(
    (user) =>
      user.Id.toLowerCase() === lower ||
      user.Username.toLowerCase() === lower ||
      user.sampleUser.upn.toLowerCase() === lower,
  );
}
