import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TENANT_ID, DIRECTORY_SYNC_CLIENT_ID } from '../../src-shared/demo-tenant';
import { startSandbox, type Sandbox } from '../start-sandbox';
import { postForm } from '../test-support/post-form';
import { sandboxFetch } from '../test-support/sandbox-fetch';

const SELECT =
  'systemuserid,azureactivedirectoryobjectid,fullname,internalemailaddress,domainname,title,_businessunitid_value,isdisabled,accessmode,applicationid';

interface Page {
  '@odata.context': string;
  '@odata.nextLink'?: string;
  value: Record<string, unknown>[];
}

// Directory sync reads systemusers as the app's application user, page by page
// (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/page-results), and
// Dataverse lets an app in only through an application user with a security role
// (https://learn.microsoft.com/power-platform/admin/manage-application-users).
describe('Dataverse stand-in: systemusers for directory sync', () => {
  let sandbox: Sandbox;
  const tokens: Record<string, string> = {};
  const appToken = async (orgUrl: string) => {
    const answer = await postForm(
      sandbox.directory.tokenUrl,
      {
        client_id: DIRECTORY_SYNC_CLIENT_ID,
        client_secret: sandbox.directory.clientSecret,
        scope: `${orgUrl}/.default`,
        grant_type: 'client_credentials',
      },
      sandbox.tls.caCert,
    );
    return answer.json<{ access_token: string }>().access_token;
  };
  const get = (
    url: string,
    headers: Record<string, string> = {},
    orgUrl = sandbox.dataverse.orgUrl,
  ) =>
    sandboxFetch(url.startsWith('https:') ? url : `${orgUrl}/api/data/v9.2/${url}`, {
      ca: sandbox.tls.caCert,
      token: tokens[orgUrl],
      headers,
    });
  /** Follows @odata.nextLink verbatim with the same Prefer header, as page-results says. */
  const readAll = async (first: string, pageSize: number) => {
    const pages: Page[] = [];
    let next: string | undefined = first;
    while (next) {
      const answer = await get(next, { prefer: `odata.maxpagesize=${pageSize}` });
      expect(answer.status, answer.text).toBe(200);
      expect(answer.headers['preference-applied']).toBe(`odata.maxpagesize=${pageSize}`);
      const page = answer.json<Page>();
      pages.push(page);
      next = page['@odata.nextLink'];
    }
    return pages;
  };

  beforeAll(async () => {
    sandbox = await startSandbox({ size: 'small' });
    for (const orgUrl of sandbox.dataverse.orgUrls) tokens[orgUrl] = await appToken(orgUrl);
  });
  afterAll(async () => sandbox?.stop());

  it('answers WhoAmI with the application user', async () => {
    const answer = await get('WhoAmI');
    expect(answer.status).toBe(200);
    const appUser = sandbox.directory.org('contoso').applicationUser(DIRECTORY_SYNC_CLIENT_ID);
    expect(answer.json().UserId).toBe(appUser?.systemuserid);
  });

  it('pages systemusers with odata.maxpagesize and nextLink, $select kept, each row once', async () => {
    const pages = await readAll(`systemusers?$select=${SELECT}`, 2);
    expect(pages.length).toBeGreaterThan(2);
    expect(pages.at(-1)?.['@odata.nextLink']).toBeUndefined();
    for (const page of pages.slice(0, -1)) {
      expect(page.value).toHaveLength(2);
      const next = new URL(page['@odata.nextLink'] ?? '');
      expect(next.searchParams.get('$select')).toBe(SELECT);
      expect(next.searchParams.get('$skiptoken')).toMatch(
        /^<cookie pagenumber="\d+" pagingcookie="/,
      );
    }
    expect(pages[0]?.['@odata.context']).toBe(
      `${sandbox.dataverse.orgUrl}/api/data/v9.2/$metadata#systemusers(${SELECT})`,
    );
    const rows = pages.flatMap((page) => page.value);
    const ids = rows.map((row) => String(row.systemuserid));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(sandbox.directory.org('contoso').rows('systemuser').length);
    expect(Object.keys(rows[0] ?? {}).sort()).toEqual(['@odata.etag', ...SELECT.split(',')].sort());
  });

  it('joins every demo person by azureactivedirectoryobjectid, with the mapped fields', async () => {
    const [page] = await readAll(
      `systemusers?$select=${SELECT}&$filter=applicationid eq null`,
      5000,
    );
    const byOid = new Map(page?.value.map((row) => [row.azureactivedirectoryobjectid, row]));
    for (const person of sandbox.users.filter((user) => user.tenantId === DEMO_TENANT_ID))
      expect(byOid.get(person.oid), person.upn).toMatchObject({
        fullname: person.displayName,
        domainname: person.upn,
        internalemailaddress: person.upn,
        isdisabled: false,
        accessmode: 0,
        applicationid: null,
      });
    expect(byOid.get('a11ce000-0000-4000-8000-000000000001')?.title).toBe('Marketing Assistant');
  });

  it('lists the application user too, which the documented filter leaves out', async () => {
    const [all] = await readAll(`systemusers?$select=${SELECT}`, 5000);
    const app = all?.value.find((row) => row.applicationid === DIRECTORY_SYNC_CLIENT_ID);
    expect(app).toMatchObject({ accessmode: 4, fullname: '# Workstation directory sync' });
    const [people] = await readAll(
      `systemusers?$select=${SELECT}&$filter=applicationid eq null and accessmode ne 4`,
      5000,
    );
    expect(people?.value.some((row) => row.applicationid !== null)).toBe(false);
    expect(people?.value).toHaveLength((all?.value.length ?? 0) - 1);
  });

  it("refuses other tables: the application user's role reads the directory only", async () => {
    const answer = await get('accounts?$select=name');
    expect(answer.status).toBe(403);
    expect(answer.json()).toMatchObject({
      error: { code: '0x80040220', message: expect.stringContaining('prvReadAccount') },
    });
  });

  it('answers 403 0x80072560 once the application user is removed, and lets the app back in when re-added', async () => {
    const contoso = sandbox.directory.org('contoso');
    expect(contoso.setApplicationUser(DIRECTORY_SYNC_CLIENT_ID, { present: false })).toEqual({
      present: false,
      securityRole: true,
    });
    try {
      for (const path of ['WhoAmI', `systemusers?$select=${SELECT}`]) {
        const answer = await get(path);
        expect(answer.status, path).toBe(403);
        expect(answer.json(), path).toEqual({
          error: { code: '0x80072560', message: 'The user is not a member of the organization.' },
        });
      }
      // The other org still has its application user.
      const fabrikam = sandbox.dataverse.orgUrls[1] ?? '';
      expect((await get('WhoAmI', {}, fabrikam)).status).toBe(200);
    } finally {
      contoso.setApplicationUser(DIRECTORY_SYNC_CLIENT_ID, { present: true });
    }
    expect((await get(`systemusers?$select=${SELECT}`)).status).toBe(200);
  });

  it('answers the privilege error while the application user has no security role', async () => {
    const contoso = sandbox.directory.org('contoso');
    contoso.setApplicationUser(DIRECTORY_SYNC_CLIENT_ID, { securityRole: false });
    try {
      const answer = await get(`systemusers?$select=${SELECT}`);
      expect(answer.status).toBe(403);
      expect(answer.json()).toMatchObject({
        error: {
          code: '0x80040220',
          message: expect.stringMatching(/roleCount=0.*missing prvReadUser privilege/),
        },
      });
    } finally {
      contoso.setApplicationUser(DIRECTORY_SYNC_CLIENT_ID, { securityRole: true });
    }
    expect((await get(`systemusers?$select=${SELECT}`)).status).toBe(200);
  });

  it("refuses one org's app token at the other with 401", async () => {
    const [contoso = '', fabrikam = ''] = sandbox.dataverse.orgUrls;
    const answer = await sandboxFetch(`${fabrikam}/api/data/v9.2/WhoAmI`, {
      ca: sandbox.tls.caCert,
      token: tokens[contoso],
    });
    expect(answer.status).toBe(401);
  });

  it('throttles the application user like any user: 429, Retry-After and the documented code', async () => {
    sandbox.faults.set('dataverse', { requestsPer5Min: 2 });
    try {
      const answers = [];
      for (let i = 0; i < 3; i += 1) answers.push(await get('WhoAmI'));
      const refused = answers.at(-1);
      expect(refused?.status).toBe(429);
      expect(Number(refused?.headers['retry-after'])).toBeGreaterThan(0);
      expect(refused?.json()).toMatchObject({ error: { code: '0x80072322' } });
    } finally {
      sandbox.faults.reset();
    }
  });

  it('pages a large directory by key: 5,000 a page at most, in key order, none lost', async () => {
    const contoso = sandbox.directory.org('contoso');
    contoso.addSyntheticPeople(6_000);
    const total = contoso.rows('systemuser').length;
    const pages = await readAll('systemusers?$select=systemuserid,fullname', 5000);
    expect(pages.map((page) => page.value.length)).toEqual([5000, total - 5000]);
    const capped = await get('systemusers?$select=systemuserid', {
      prefer: 'odata.maxpagesize=9000',
    });
    expect(capped.headers['preference-applied']).toBe('odata.maxpagesize=5000');
    const ids = pages.flatMap((page) => page.value.map((row) => String(row.systemuserid)));
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(total);
  });
});
