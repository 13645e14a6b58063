import { randomUUID } from 'node:crypto';
import { compareKeys, type Row, type SampleData } from '../data/sample-data';
import {
  isoSeconds,
  membershipRow,
  syntheticSystemUser,
  systemUserRow,
} from '../data/directory-data';

/** The tables directory sync reads; each kept in primary key order. */
export type DirectoryTable = 'systemuser' | 'team' | 'teammembership';
const primaryKeys: Readonly<Record<DirectoryTable, string>> = {
  systemuser: 'systemuserid',
  team: 'teamid',
  teammembership: 'teammembershipid',
};

/** One change to a directory row, in version order (what change tracking answers from). */
export interface DirectoryChange {
  readonly version: number;
  readonly table: DirectoryTable;
  readonly id: string;
  readonly kind: 'created' | 'updated' | 'deleted';
  /** The columns an update changed (a webhook's Target holds only those). */
  readonly changed: readonly string[];
  readonly row: Row;
  /** The row before an update or deletion (a webhook's pre-image). */
  readonly before: Row | undefined;
}

/** The columns an admin may set on a person (the sandbox's "someone edited the user" knob). */
export interface PersonFields {
  readonly fullname?: string;
  readonly firstname?: string | null;
  readonly lastname?: string | null;
  readonly internalemailaddress?: string | null;
  readonly domainname?: string;
  readonly azureactivedirectoryobjectid?: string;
  readonly title?: string | null;
  readonly isdisabled?: boolean;
}

/** Binary search: the index of the first row whose key is greater than `after`. */
export function firstAfter(rows: readonly Row[], key: string, after: string): number {
  let low = 0;
  let high = rows.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareKeys(String(rows[middle]?.[key]), after) <= 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * One page of a table kept in key order: the rows just after `after` (from the start without it)
 * that pass `where`, reading only as far as the page reaches, and whether more follow.
 */
export function pageAfter(
  rows: readonly Row[],
  key: string,
  after: string | undefined,
  pageSize: number,
  where?: (row: Row) => boolean,
): { page: Row[]; more: boolean } {
  const page: Row[] = [];
  for (let index = after ? firstAfter(rows, key, after) : 0; index < rows.length; index += 1) {
    const row = rows[index] as Row;
    if (where && !where(row)) continue;
    if (page.length === pageSize) return { page, more: true };
    page.push(row);
  }
  return { page, more: false };
}

/**
 * An org's directory: systemusers, teams and team memberships, each in primary key order with
 * indexes by id and (systemusers) Entra object id, one version clock for the org (each change gets
 * the next `versionnumber`), a change log for change tracking, the application users' security role
 * flags, and listeners (the webhook caller). Mutations come from the admin knobs.
 */
export class DirectoryTables {
  readonly #byId = new Map<DirectoryTable, Map<string, Row>>();
  readonly #byObjectId = new Map<string, Row>();
  readonly #log: DirectoryChange[] = [];
  readonly #listeners: ((change: DirectoryChange) => void)[] = [];
  /** Application users (by applicationid) whose security role was taken away. */
  readonly #withoutRole = new Set<string>();
  /** Application users removed from the org, kept so they can be added back as they were. */
  readonly #removedAppUsers = new Map<string, Row>();
  #version: number;
  #synthetic: number;

  constructor(
    private readonly data: SampleData,
    private readonly now: () => number = Date.now,
  ) {
    let version = 0;
    for (const rows of Object.values(data.tables))
      for (const row of rows) version = Math.max(version, Number(row.versionnumber ?? 0));
    this.#version = version;
    for (const table of Object.keys(primaryKeys) as DirectoryTable[])
      this.#byId.set(
        table,
        new Map(this.rows(table).map((row) => [String(row[primaryKeys[table]]), row])),
      );
    for (const row of data.tables.systemuser)
      this.#byObjectId.set(String(row.azureactivedirectoryobjectid), row);
    this.#synthetic = data.tables.systemuser.filter((row) =>
      /-9000-/.test(String(row.systemuserid)),
    ).length;
  }

  /** The org's current version (the last change's). */
  get version(): number {
    return this.#version;
  }

  rows(table: DirectoryTable): Row[] {
    return this.data.tables[table];
  }

  find(table: DirectoryTable, id: string): Row | undefined {
    return this.#byId.get(table)?.get(id.toLowerCase());
  }

  /** The systemuser whose azureactivedirectoryobjectid is `oid` (a token's caller). */
  byObjectId(oid: string): Row | undefined {
    return this.#byObjectId.get(oid);
  }

  /** The application user of an app in this org, if it has one. */
  applicationUser(appId: string): Row | undefined {
    return this.data.tables.systemuser.find((row) => row.applicationid === appId);
  }

  hasSecurityRole(appId: string): boolean {
    return !this.#withoutRole.has(appId);
  }

  /**
   * The admin's Power Platform admin center steps: add or remove an app's application user, give or
   * take its security role (https://learn.microsoft.com/power-platform/admin/manage-application-users).
   */
  setApplicationUser(
    appId: string,
    knobs: { present?: boolean; securityRole?: boolean },
  ): { present: boolean; securityRole: boolean } {
    if (knobs.securityRole === false) this.#withoutRole.add(appId);
    if (knobs.securityRole === true) this.#withoutRole.delete(appId);
    const current = this.applicationUser(appId);
    if (knobs.present === false && current) {
      this.#removedAppUsers.set(appId, { ...current });
      this.delete('systemuser', String(current.systemuserid));
    }
    if (knobs.present === true && !current) {
      const saved = this.#removedAppUsers.get(appId);
      if (saved) this.insert('systemuser', { ...saved });
    }
    return {
      present: Boolean(this.applicationUser(appId)),
      securityRole: this.hasSecurityRole(appId),
    };
  }

  /** Adds a person (a new hire): a systemuser in the org's business unit and its default team. */
  addPerson(fields: PersonFields & { readonly fullname: string }): Row {
    const id = randomUUID();
    const upn = fields.domainname ?? `${id.slice(0, 8)}@contoso-sample.onmicrosoft.com`;
    const row = systemUserRow({
      systemuserid: id,
      fullname: fields.fullname,
      firstname: fields.firstname,
      lastname: fields.lastname,
      internalemailaddress: fields.internalemailaddress ?? upn,
      domainname: upn,
      azureactivedirectoryobjectid: fields.azureactivedirectoryobjectid ?? randomUUID(),
      title: fields.title ?? null,
      isdisabled: fields.isdisabled ?? false,
      businessUnitId: this.data.businessUnitId,
      at: this.now(),
    });
    this.insert('systemuser', row);
    const defaultTeam = this.rows('team').find((team) => team.isdefault === true);
    if (defaultTeam) this.insert('teammembership', membershipRow(String(defaultTeam.teamid), id));
    return row;
  }

  /** Adds `count` synthetic people after those already there (a large directory, made while running). */
  addSyntheticPeople(count: number): number {
    const defaultTeam = this.rows('team').find((team) => team.isdefault === true);
    for (let i = 0; i < count; i += 1) {
      this.#synthetic += 1;
      const row = syntheticSystemUser(
        this.#synthetic,
        String(this.data.businessUnitId).split('-')[1] ?? '0000',
        this.data.businessUnitId,
        this.now(),
      );
      this.insert('systemuser', row);
      if (defaultTeam)
        this.insert(
          'teammembership',
          membershipRow(String(defaultTeam.teamid), String(row.systemuserid)),
        );
    }
    return this.#synthetic;
  }

  /** Changes a person's columns (disable them, rename them, ...); answers the row, or undefined. */
  updatePerson(id: string, fields: PersonFields): Row | undefined {
    const row = this.find('systemuser', id);
    if (!row) return undefined;
    const before = { ...row };
    const changed = Object.entries(fields)
      .filter(([column, value]) => value !== undefined && row[column] !== value)
      .map(([column]) => column);
    for (const column of changed) row[column] = fields[column as keyof PersonFields];
    if (changed.includes('fullname') && fields.firstname === undefined) {
      const [first = '', ...rest] = String(row.fullname).split(' ');
      row.firstname = first;
      row.lastname = rest.join(' ') || null;
    }
    if (fields.azureactivedirectoryobjectid !== undefined) {
      this.#byObjectId.delete(String(before.azureactivedirectoryobjectid));
      this.#byObjectId.set(String(row.azureactivedirectoryobjectid), row);
    }
    if (changed.length === 0) return row;
    row.modifiedon = isoSeconds(this.now());
    this.record('systemuser', id, 'updated', [...changed, 'modifiedon'], row, before);
    return row;
  }

  /** Deletes a row (and, for a systemuser, its team memberships). */
  delete(table: DirectoryTable, id: string): boolean {
    const row = this.find(table, id);
    if (!row) return false;
    const rows = this.rows(table);
    const key = primaryKeys[table];
    rows.splice(firstAfter(rows, key, id) - 1, 1);
    this.#byId.get(table)?.delete(id);
    if (table === 'systemuser') {
      this.#byObjectId.delete(String(row.azureactivedirectoryobjectid));
      for (const membership of this.rows('teammembership').filter(
        (candidate) => candidate.systemuserid === id,
      ))
        this.delete('teammembership', String(membership.teammembershipid));
    }
    this.record(table, id, 'deleted', [], row, row);
    return true;
  }

  /** Moves the version clock on without a change (versions have gaps); answers the new version. */
  advance(): number {
    this.#version += 1;
    return this.#version;
  }

  /** Changes since `version` (exclusive), oldest first. */
  changesSince(version: number): readonly DirectoryChange[] {
    let low = 0;
    let high = this.#log.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.#log[middle]?.version ?? 0) <= version) low = middle + 1;
      else high = middle;
    }
    return this.#log.slice(low);
  }

  onChange(listener: (change: DirectoryChange) => void): void {
    this.#listeners.push(listener);
  }

  private insert(table: DirectoryTable, row: Row): void {
    const key = primaryKeys[table];
    const id = String(row[key]);
    const rows = this.rows(table);
    rows.splice(firstAfter(rows, key, id), 0, row);
    this.#byId.get(table)?.set(id, row);
    if (table === 'systemuser') this.#byObjectId.set(String(row.azureactivedirectoryobjectid), row);
    this.record(table, id, 'created', Object.keys(row), row, undefined);
  }

  private record(
    table: DirectoryTable,
    id: string,
    kind: DirectoryChange['kind'],
    changed: readonly string[],
    row: Row,
    before: Row | undefined,
  ): void {
    this.#version += 1;
    if (kind !== 'deleted') row.versionnumber = this.#version;
    const change = { version: this.#version, table, id, kind, changed, row, before };
    this.#log.push(change);
    for (const listener of this.#listeners) listener(change);
  }
}
