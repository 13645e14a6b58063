import { createHash } from 'node:crypto';
import { DEMO_TENANT_ID, DIRECTORY_SYNC_CLIENT_ID } from '../../src-shared/demo-tenant';
import type { Row } from './sample-data';
import { SALES_GROUP_ID, SUPPORT_GROUP_ID, type SampleUser } from './sample-users';

/** The object id of the directory sync app's service principal in the demo tenant (its app-only tokens' `oid`). */
export const DIRECTORY_SYNC_SERVICE_PRINCIPAL_ID = '5b7e1c00-0000-4000-8000-0000000000d5';

/** Job titles of the demo people (Entra's jobTitle, Dataverse's systemuser.title). */
const titles: Readonly<Record<string, string>> = {
  'alex.wilber': 'Marketing Assistant',
  'megan.bowen': 'Marketing Manager',
  'sean.obrien': 'Support Engineer',
  'adele.vance': 'IT Administrator',
  'diego.siciliani': 'Retail Manager',
};

const syntheticFirst = ['Avery', 'Blair', 'Casey', 'Dana', 'Eli', 'Frankie', 'Gale', 'Harper'];
const syntheticLast = ['Ahn', 'Berg', 'Cruz', 'Dietrich', 'Eze', 'Fontaine', 'Gupta', 'Hale'];
const syntheticTitles = ['Account Executive', 'Sales Associate', 'Support Agent', 'Analyst'];

/** A GUID derived from a name, stable across starts (ids of intersect rows, added users). */
export function nameGuid(name: string): string {
  const hex = createHash('sha1').update(name).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The ISO instant Dataverse writes (seconds, Z). */
export const isoSeconds = (at: number) => new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A systemuser row with the columns directory sync reads (https://learn.microsoft.com/power-apps/developer/data-platform/reference/entities/systemuser). */
export function systemUserRow(fields: {
  systemuserid: string;
  fullname: string;
  firstname?: string | null;
  lastname?: string | null;
  internalemailaddress: string | null;
  domainname: string;
  azureactivedirectoryobjectid: string;
  title?: string | null;
  businessUnitId: string;
  accessmode?: number;
  applicationid?: string | null;
  isdisabled?: boolean;
  at: number;
}): Row {
  const [first = fields.fullname, ...rest] = fields.fullname.split(' ');
  return {
    systemuserid: fields.systemuserid,
    fullname: fields.fullname,
    firstname: fields.firstname === undefined ? first : fields.firstname,
    lastname: fields.lastname === undefined ? rest.join(' ') || null : fields.lastname,
    internalemailaddress: fields.internalemailaddress,
    domainname: fields.domainname,
    azureactivedirectoryobjectid: fields.azureactivedirectoryobjectid,
    title: fields.title ?? null,
    isdisabled: fields.isdisabled ?? false,
    // accessmode 0 is Read-Write, 4 Non-interactive (application users).
    accessmode: fields.accessmode ?? 0,
    applicationid: fields.applicationid ?? null,
    islicensed: (fields.accessmode ?? 0) === 0,
    _businessunitid_value: fields.businessUnitId,
    createdon: isoSeconds(fields.at),
    modifiedon: isoSeconds(fields.at),
  };
}

/** A systemuser for each demo person of the demo tenant (azureactivedirectoryobjectid = oid); ids are the org's own. */
export function peopleSystemUsers(
  users: readonly SampleUser[],
  businessUnitId: string,
  idTag: string,
  at: number,
): Row[] {
  return users
    .filter((candidate) => candidate.tenantId === DEMO_TENANT_ID)
    .map((person, index) =>
      systemUserRow({
        systemuserid: `5e5e0000-${idTag}-4000-8000-${String(index + 1).padStart(12, '0')}`,
        fullname: person.displayName,
        internalemailaddress: person.upn,
        domainname: person.upn,
        azureactivedirectoryobjectid: person.oid,
        title: titles[person.upn.split('@')[0] ?? ''] ?? null,
        businessUnitId,
        at,
      }),
    );
}

/**
 * The directory sync app's application user: a non-interactive systemuser whose applicationid is the
 * app's client id and whose azureactivedirectoryobjectid is its service principal
 * (https://learn.microsoft.com/power-platform/admin/manage-application-users).
 */
export function applicationUserRow(idTag: string, businessUnitId: string, at: number): Row {
  return systemUserRow({
    systemuserid: `5e5e0000-${idTag}-4000-a000-000000000001`,
    fullname: '# Workstation directory sync',
    firstname: '#',
    lastname: 'Workstation directory sync',
    internalemailaddress: null,
    domainname: `${DIRECTORY_SYNC_CLIENT_ID}@contoso-sample.onmicrosoft.com`,
    azureactivedirectoryobjectid: DIRECTORY_SYNC_SERVICE_PRINCIPAL_ID,
    businessUnitId,
    accessmode: 4,
    applicationid: DIRECTORY_SYNC_CLIENT_ID,
    at,
  });
}

/**
 * Synthetic people for large directories: `index` numbers them from 1. Ids sort after the demo
 * people's (`…-9000-…` against `…-8000-…`); the Entra object id is the tenant's, so the same
 * person has the same join key in every org.
 */
export function syntheticSystemUser(
  index: number,
  idTag: string,
  businessUnitId: string,
  at: number,
): Row {
  const first = syntheticFirst[index % syntheticFirst.length] as string;
  const last = syntheticLast[Math.floor(index / syntheticFirst.length) % syntheticLast.length];
  const alias = `${first}.${last}.${index}`.toLowerCase();
  return systemUserRow({
    systemuserid: `5e5e0000-${idTag}-4000-9000-${String(index).padStart(12, '0')}`,
    fullname: `${first} ${last} ${index}`,
    firstname: first,
    lastname: `${last} ${index}`,
    internalemailaddress: `${alias}@contoso-sample.onmicrosoft.com`,
    domainname: `${alias}@contoso-sample.onmicrosoft.com`,
    azureactivedirectoryobjectid: `a0d00000-0000-4000-9000-${String(index).padStart(12, '0')}`,
    title: syntheticTitles[index % syntheticTitles.length] as string,
    businessUnitId,
    at,
  });
}

/** The teams of an org: its business unit's default team and one Entra group team per demo group. */
export function sampleTeams(
  idTag: string,
  businessUnitId: string,
  businessUnitName: string,
  at: number,
): Row[] {
  const team = (
    index: number,
    name: string,
    teamtype: number,
    groupId: string | null,
    isdefault: boolean,
  ): Row => ({
    teamid: `7ea70000-${idTag}-4000-8000-${String(index).padStart(12, '0')}`,
    name,
    // teamtype 0 Owner, 1 Access, 2 Microsoft Entra security group, 3 Microsoft Entra Office group;
    // membershiptype 0 Members and guests (https://learn.microsoft.com/power-apps/developer/data-platform/reference/entities/team).
    teamtype,
    azureactivedirectoryobjectid: groupId,
    membershiptype: 0,
    isdefault,
    _businessunitid_value: businessUnitId,
    createdon: isoSeconds(at),
    modifiedon: isoSeconds(at),
  });
  return [
    team(1, businessUnitName, 0, null, true),
    team(2, 'Sales (Entra group)', 2, SALES_GROUP_ID, false),
    team(3, 'Support (Entra group)', 2, SUPPORT_GROUP_ID, false),
  ];
}

/** A teammembership intersect row (https://learn.microsoft.com/power-apps/developer/data-platform/reference/entities/teammembership). */
export function membershipRow(teamid: string, systemuserid: string): Row {
  return {
    teammembershipid: nameGuid(`teammembership:${teamid}:${systemuserid}`),
    teamid,
    systemuserid,
  };
}
