import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TENANT_ID, DIRECTORY_SYNC_CLIENT_ID } from '../../src-shared/demo-tenant';
import { SALES_GROUP_ID, SUPPORT_GROUP_ID } from '../data/sample-users';
import { startSandbox, type Sandbox } from '../start-sandbox';
import { postForm } from '../test-support/post-form';
import { sandboxFetch } from '../test-support/sandbox-fetch';

interface Collection {
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
  value: Record<string, unknown>[];
}

// Teams and their members for group audiences: the team table (Entra group teams carry the
// group's object id: https://learn.microsoft.com/power-apps/developer/data-platform/reference/entities/team),
// the teammembership intersect table and the teammembership_association relationship
// (https://learn.microsoft.com/power-apps/developer/data-platform/reference/entities/teammembership).
describe('Dataverse stand-in: teams and team memberships', () => {
  let sandbox: Sandbox;
  let token = '';
  const get = (path: string, headers: Record<string, string> = {}) =>
    sandboxFetch(
      path.startsWith('https:') ? path : `${sandbox.dataverse.orgUrl}/api/data/v9.2/${path}`,
      {
        ca: sandbox.tls.caCert,
        token,
        headers,
      },
    );

  beforeAll(async () => {
    sandbox = await startSandbox({ size: 'small' });
    token = (
      await postForm(
        sandbox.directory.tokenUrl,
        {
          client_id: DIRECTORY_SYNC_CLIENT_ID,
          client_secret: sandbox.directory.clientSecret,
          scope: `${sandbox.dataverse.orgUrl}/.default`,
          grant_type: 'client_credentials',
        },
        sandbox.tls.caCert,
      )
    ).json<{ access_token: string }>().access_token;
  });
  afterAll(async () => sandbox?.stop());

  it('lists the default team and one Entra group team per group, with the group object ids', async () => {
    const answer = await get(
      'teams?$select=teamid,name,teamtype,azureactivedirectoryobjectid,membershiptype,isdefault',
    );
    expect(answer.status).toBe(200);
    const teams = answer.json<Collection>().value;
    expect(
      teams.map((team) => [team.teamtype, team.azureactivedirectoryobjectid, team.isdefault]),
    ).toEqual([
      [0, null, true],
      [2, SALES_GROUP_ID, false],
      [2, SUPPORT_GROUP_ID, false],
    ]);
    const formatted = await get('teams?$select=teamtype&$filter=teamtype eq 2', {
      prefer: 'odata.include-annotations="OData.Community.Display.V1.FormattedValue"',
    });
    expect(
      formatted.json<Collection>().value[0]?.['teamtype@OData.Community.Display.V1.FormattedValue'],
    ).toBe('Security Group');
  });

  it("answers a group team's members through teammembership_association, joined by Entra object id", async () => {
    const sales = sandbox.directory.org('contoso').rows('team')[1];
    const answer = await get(
      `teams(${String(sales?.teamid)})/teammembership_association?$select=systemuserid,azureactivedirectoryobjectid`,
    );
    expect(answer.status).toBe(200);
    const members = new Set(
      answer.json<Collection>().value.map((row) => row.azureactivedirectoryobjectid),
    );
    const expected = sandbox.users
      .filter((user) => user.tenantId === DEMO_TENANT_ID && user.groups.includes(SALES_GROUP_ID))
      .map((user) => user.oid);
    expect(members).toEqual(new Set(expected));
    // And the other way: a person's teams.
    const alex = sandbox.directory.org('contoso').rows('systemuser')[0];
    const teams = await get(
      `systemusers(${String(alex?.systemuserid)})/teammembership_association?$select=name`,
    );
    expect(teams.json<Collection>().value.map((team) => team.name)).toEqual([
      'Contoso (sample)',
      'Sales (Entra group)',
    ]);
  });

  it('pages teammemberships and tracks their changes (a new hire joins the default team)', async () => {
    const pages: Collection[] = [];
    let next: string | undefined = 'teammemberships?$select=teamid,systemuserid';
    let deltaLink = '';
    while (next) {
      const page: Collection = (
        await get(next, { prefer: 'odata.track-changes,odata.maxpagesize=4' })
      ).json<Collection>();
      pages.push(page);
      next = page['@odata.nextLink'];
      deltaLink = page['@odata.deltaLink'] ?? deltaLink;
    }
    const all = pages.flatMap((page) => page.value);
    expect(all).toHaveLength(sandbox.directory.org('contoso').rows('teammembership').length);
    expect(pages.length).toBeGreaterThan(2);

    const hire = sandbox.directory.org('contoso').addPerson({ fullname: 'Team Joiner' });
    const delta = (await get(deltaLink)).json<Collection>();
    expect(delta.value).toEqual([
      expect.objectContaining({
        systemuserid: hire.systemuserid,
        teamid: sandbox.directory.org('contoso').rows('team')[0]?.teamid,
      }),
    ]);
    sandbox.directory.org('contoso').delete('systemuser', String(hire.systemuserid));
    const after = (await get(delta['@odata.deltaLink'] ?? '')).json<Collection>();
    expect(after.value).toEqual([expect.objectContaining({ reason: 'deleted' })]);
  });
});
