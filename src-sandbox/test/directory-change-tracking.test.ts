import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIRECTORY_SYNC_CLIENT_ID } from '../../src-shared/demo-tenant';
import { startSandbox, type Sandbox } from '../start-sandbox';
import { postForm } from '../test-support/post-form';
import { sandboxFetch } from '../test-support/sandbox-fetch';

const SELECT = 'fullname,internalemailaddress,isdisabled';

interface DeltaPage {
  '@odata.context': string;
  '@odata.deltaLink'?: string;
  '@odata.nextLink'?: string;
  value: Record<string, unknown>[];
}

// Change tracking through the Web API, from Learn's examples
// (https://learn.microsoft.com/power-apps/developer/data-platform/use-change-tracking-synchronize-data-external-systems).
describe('Dataverse stand-in: change tracking on systemusers', () => {
  let sandbox: Sandbox;
  let token = '';
  const api = () => `${sandbox.dataverse.orgUrl}/api/data/v9.2`;
  const get = (url: string, headers: Record<string, string> = {}) =>
    sandboxFetch(url.startsWith('https:') ? url : `${api()}/${url}`, {
      ca: sandbox.tls.caCert,
      token,
      headers,
    });
  const contoso = () => sandbox.directory.org('contoso');
  /** The initial tracked read, all pages; answers the rows and the delta link. */
  const initial = async (pageSize?: number) => {
    const prefer = ['odata.track-changes', ...(pageSize ? [`odata.maxpagesize=${pageSize}`] : [])];
    let next: string | undefined = `systemusers?$select=${SELECT}`;
    const rows: Record<string, unknown>[] = [];
    let deltaLink = '';
    while (next) {
      const answer = await get(next, { prefer: prefer.join(',') });
      expect(answer.status, answer.text).toBe(200);
      expect(answer.headers['preference-applied']).toContain('odata.track-changes');
      const page = answer.json<DeltaPage>();
      rows.push(...page.value);
      next = page['@odata.nextLink'];
      if (next) expect(page['@odata.deltaLink']).toBeUndefined();
      else deltaLink = page['@odata.deltaLink'] ?? '';
    }
    return { rows, deltaLink };
  };

  beforeAll(async () => {
    sandbox = await startSandbox({ size: 'small' });
    const answer = await postForm(
      sandbox.directory.tokenUrl,
      {
        client_id: DIRECTORY_SYNC_CLIENT_ID,
        client_secret: sandbox.directory.clientSecret,
        scope: `${sandbox.dataverse.orgUrl}/.default`,
        grant_type: 'client_credentials',
      },
      sandbox.tls.caCert,
    );
    token = answer.json<{ access_token: string }>().access_token;
  });
  afterAll(async () => sandbox?.stop());

  it('answers the full data set and a delta link carrying a $deltatoken', async () => {
    const answer = await get(`systemusers?$select=${SELECT}`, { prefer: 'odata.track-changes' });
    expect(answer.status).toBe(200);
    expect(answer.headers['preference-applied']).toBe('odata.track-changes');
    const body = answer.json<DeltaPage>();
    expect(body['@odata.context']).toBe(`${api()}/$metadata#systemusers(${SELECT})`);
    expect(body.value).toHaveLength(contoso().rows('systemuser').length);
    const link = new URL(body['@odata.deltaLink'] ?? '');
    expect(link.origin + link.pathname).toBe(`${api()}/systemusers`);
    expect(link.searchParams.get('$select')).toBe(SELECT);
    // `919042!08/22/2017 08:10:44`, URL-encoded in the link, as in Learn's example.
    expect(link.searchParams.get('$deltatoken')).toMatch(
      /^\d+!\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}$/,
    );
    expect(body['@odata.deltaLink']).toMatch(/\$deltatoken=\d+%21\d{2}%2F\d{2}%2F\d{4}%20/i);
  });

  it('answers an empty value when nothing changed, with a new delta link', async () => {
    const { deltaLink } = await initial();
    const answer = await get(deltaLink);
    expect(answer.status).toBe(200);
    const body = answer.json<DeltaPage>();
    expect(body['@odata.context']).toBe(`${api()}/$metadata#systemusers(${SELECT})/$delta`);
    expect(body.value).toEqual([]);
    expect(body['@odata.deltaLink']).toContain('$deltatoken=');
  });

  it('answers changed rows with their current columns, then deleted ones as $deletedEntity', async () => {
    const { deltaLink } = await initial();
    const added = contoso().addPerson({ fullname: 'Nova Newhire', title: 'Intern' });
    const [, megan, sean] = contoso().rows('systemuser');
    contoso().updatePerson(String(megan?.systemuserid), { isdisabled: true });
    contoso().delete('systemuser', String(sean?.systemuserid));
    // Created then deleted between two reads: still reported as deleted.
    const ephemeral = contoso().addPerson({ fullname: 'Gone Soon' });
    contoso().delete('systemuser', String(ephemeral.systemuserid));

    const answer = await get(deltaLink);
    const body = answer.json<DeltaPage>();
    expect(body.value).toEqual([
      {
        '@odata.etag': `W/"${String(added.versionnumber)}"`,
        systemuserid: added.systemuserid,
        fullname: 'Nova Newhire',
        internalemailaddress: added.internalemailaddress,
        isdisabled: false,
      },
      expect.objectContaining({ systemuserid: megan?.systemuserid, isdisabled: true }),
      {
        '@odata.context': `${api()}/$metadata#systemusers/$deletedEntity`,
        id: sean?.systemuserid,
        reason: 'deleted',
      },
      {
        '@odata.context': `${api()}/$metadata#systemusers/$deletedEntity`,
        id: ephemeral.systemuserid,
        reason: 'deleted',
      },
    ]);
    const count = await get(
      `systemusers/$count?$deltatoken=${encodeURIComponent(new URL(deltaLink).searchParams.get('$deltatoken') ?? '')}`,
    );
    expect(count.text).toBe('4');
    // The next link starts after these changes; the old one still answers them (within retention).
    expect((await get(body['@odata.deltaLink'] ?? '')).json<DeltaPage>().value).toEqual([]);
    expect((await get(deltaLink)).json<DeltaPage>().value).toHaveLength(4);
  });

  it('pages a large initial read and a large delta with nextLink, the delta link on the last page only', async () => {
    contoso().addSyntheticPeople(1_200);
    const { rows, deltaLink } = await initial(500);
    expect(rows).toHaveLength(contoso().rows('systemuser').length);
    const people = contoso().rows('systemuser').slice(-700);
    for (const row of people)
      contoso().updatePerson(String(row.systemuserid), { title: 'Renamed' });
    const changed: Record<string, unknown>[] = [];
    let next: string | undefined = deltaLink;
    let pages = 0;
    let last: DeltaPage | undefined;
    while (next) {
      last = (await get(next, { prefer: 'odata.maxpagesize=300' })).json<DeltaPage>();
      changed.push(...last.value);
      next = last['@odata.nextLink'];
      pages += 1;
    }
    expect(pages).toBe(3);
    expect(new Set(changed.map((row) => row.systemuserid)).size).toBe(700);
    expect(last?.['@odata.deltaLink']).toContain('$deltatoken=');
  });

  it('refuses $filter, $orderby, $expand and $top with the documented message', async () => {
    for (const option of ['$filter=isdisabled eq false', '$orderby=fullname', '$top=5']) {
      const answer = await get(`systemusers?$select=${SELECT}&${option}`, {
        prefer: 'odata.track-changes',
      });
      expect(answer.status, option).toBe(400);
      const name = option.split('=')[0];
      expect(answer.json<{ error: { message: string } }>().error.message).toBe(
        `The "${name}" query parameter isn't supported when Change Tracking is enabled.`,
      );
    }
  });

  it('answers an expired delta token with an error, and a fresh initial read works again', async () => {
    const { deltaLink } = await initial();
    sandbox.directory.changeTracking('contoso').expireAll();
    const expired = await get(deltaLink);
    expect(expired.status).toBe(400);
    expect(expired.json()).toEqual({
      error: {
        code: '0x80040203',
        message:
          'Version stamp associated with the client has expired. Please perform a full sync.',
      },
    });
    const fresh = await initial();
    expect((await get(fresh.deltaLink)).status).toBe(200);
    // The retention in days is a knob too: at 0 days every token has expired.
    sandbox.directory.changeTracking('contoso').set({ expireInDays: 0, expiredStatus: 410 });
    try {
      expect((await get(fresh.deltaLink)).status).toBe(410);
    } finally {
      sandbox.directory.changeTracking('contoso').set({ expireInDays: 7, expiredStatus: 400 });
    }
  });

  it('ignores the preference on a table without change tracking, and refuses its delta token', async () => {
    const { deltaLink } = await initial();
    sandbox.directory.changeTracking('contoso').set({ enabled: false });
    try {
      expect((await get(deltaLink)).status).toBe(400);
      const answer = await get(`systemusers?$select=${SELECT}`, { prefer: 'odata.track-changes' });
      expect(answer.status).toBe(200);
      expect(answer.headers['preference-applied']).toBeUndefined();
      expect(answer.json<DeltaPage>()['@odata.deltaLink']).toBeUndefined();
    } finally {
      sandbox.directory.changeTracking('contoso').set({ enabled: true });
    }
  });
});
