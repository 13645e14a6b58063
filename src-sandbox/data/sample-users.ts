import {
  DEMO_OTHER_TENANT_ID,
  DEMO_TENANT_DOMAIN,
  DEMO_TENANT_ID,
  TOKENSTORE_ADMIN_ROLE,
} from '../../src-shared/demo-tenant';

/** A sample directory user of the sandbox's tenants. */
export interface SampleUser {
  readonly oid: string;
  readonly tenantId: string;
  readonly upn: string;
  readonly displayName: string;
  readonly roles: readonly string[];
  readonly groups: readonly string[];
}

/** Group object ids of the demo tenant. */
export const SALES_GROUP_ID = '5a1e5000-0000-4000-8000-000000000001';
export const SUPPORT_GROUP_ID = '5a1e5000-0000-4000-8000-000000000002';

const user = (
  tenantId: string,
  oid: string,
  alias: string,
  displayName: string,
  roles: string[] = [],
  groups: string[] = [],
  domain = DEMO_TENANT_DOMAIN,
): SampleUser => ({
  oid,
  tenantId,
  upn: `${alias}@${domain}`,
  displayName,
  roles,
  groups,
});

/** The people who sign in to the demo; their oids are the Dataverse systemusers' azureactivedirectoryobjectid. */
export const sampleUsers: readonly SampleUser[] = [
  user(
    DEMO_TENANT_ID,
    'a11ce000-0000-4000-8000-000000000001',
    'alex.wilber',
    'Alex Wilber',
    [],
    [SALES_GROUP_ID],
  ),
  user(
    DEMO_TENANT_ID,
    'b0b00000-0000-4000-8000-000000000002',
    'megan.bowen',
    'Megan Bowen',
    [],
    [SALES_GROUP_ID],
  ),
  user(
    DEMO_TENANT_ID,
    'c0ffee00-0000-4000-8000-000000000003',
    'sean.obrien',
    "Seán O'Brien",
    [],
    [SUPPORT_GROUP_ID],
  ),
  user(
    DEMO_TENANT_ID,
    'ad000000-0000-4000-8000-000000000004',
    'adele.vance',
    'Adele Vance (admin)',
    [TOKENSTORE_ADMIN_ROLE],
    [SALES_GROUP_ID, SUPPORT_GROUP_ID],
  ),
  user(
    DEMO_TENANT_ID,
    'd1e90000-0000-4000-8000-000000000005',
    'diego.siciliani',
    'Diego Siciliani',
  ),
  user(
    DEMO_OTHER_TENANT_ID,
    'f0000000-0000-4000-8000-0000000000b1',
    'fabrice',
    'Fabrice Canel',
    [TOKENSTORE_ADMIN_ROLE],
    [],
    'fabrikam-sample.onmicrosoft.com',
  ),
  user(
    DEMO_OTHER_TENANT_ID,
    'f0000000-0000-4000-8000-0000000000b2',
    'nestor',
    'Nestor Wilke',
    [],
    [],
    'fabrikam-sample.onmicrosoft.com',
  ),
];

/** The sample users of one tenant. */
export function usersOf(tenantId: string): readonly SampleUser[] {
  return sampleUsers.filter((candidate) => candidate.tenantId === tenantId);
}
