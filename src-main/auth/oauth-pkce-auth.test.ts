import { createHash } from 'node:crypto';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { createServer, type Server } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workstationError } from '../../src-shared/errors';
import { startSandbox, type Sandbox } from '../../src-sandbox/start-sandbox';
import { completeSalesforceConsent } from '../../src-sandbox/test-support/salesforce-consent-driver';
import {
  consentBrowser,
  firstUser,
  freePort,
  MemoryBlobStore,
} from '../integrations/salesforce/test/salesforce-connection';
import { createEnvelope, type Envelope } from '../secrets/envelope';
import type { IBrowserOpener } from './msal-client-config';
import { OAuthPkceAuth, type OAuthPkceAuthOptions } from './oauth-pkce-auth';
import { createAuthorizedHttpClient } from './token-injector';

const NAME = 'Salesforce · sandbox';
const context = {
  tenantId: 'tenant',
  userId: 'user',
  integration: 'salesforce:sandbox',
  deviceId: 'device',
};

/** GETs a loopback URL as the browser would, answering the page it shows. */
function browse(
  url: string,
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    request(url, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, body, headers: response.headers }),
      );
    })
      .on('error', reject)
      .end();
  });
}

// Web server flow with PKCE: https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_web_server_flow.htm
// Loopback redirect: RFC 8252 section 7.3; PKCE S256: RFC 7636 section 4.2.
describe('OAuth 2.0 authorization code + PKCE against the Salesforce stand-in', () => {
  let sandbox: Sandbox;
  const lines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
  beforeAll(async () => {
    sandbox = await startSandbox({ size: 'small' });
  });
  afterAll(async () => sandbox?.stop());

  const environment = () => sandbox.salesforce.environments.sandbox;
  const user = () => firstUser(sandbox, 'sandbox');
  const tokenPath = 'salesforce-oauth /services/oauth2/token';
  const make = async (overrides: Partial<OAuthPkceAuthOptions> & { envelope?: Envelope } = {}) => {
    const login = environment().loginUrl;
    const options: OAuthPkceAuthOptions = {
      displayName: NAME,
      clientId: sandbox.salesforce.clientId,
      endpoints: {
        authorize: `${login}/services/oauth2/authorize`,
        token: `${login}/services/oauth2/token`,
        revoke: `${login}/services/oauth2/revoke`,
      },
      scopes: ['api', 'refresh_token', 'id'],
      redirectUri: `http://localhost:${await freePort()}/callback`,
      resolveUsername: async (grant, getJson) =>
        String(((await getJson(grant.idUrl ?? '')) as { username?: unknown }).username),
      store: new MemoryBlobStore(),
      envelope: createEnvelope(randomBytes(32)),
      envelopeContext: context,
      logger,
      onChange: () => undefined,
      extraCa: sandbox.tls.caCert,
      ...overrides,
    };
    return { auth: new OAuthPkceAuth(options), options, store: options.store as MemoryBlobStore };
  };
  const browser = (opened: string[] = []) => consentBrowser(sandbox, { user: user().upn, opened });
  /** One REST call with `token` as it is, or through the injector with `auth` (a 401 renews the session once). */
  const rest = (token: string, auth?: OAuthPkceAuth) =>
    createAuthorizedHttpClient({
      displayName: NAME,
      baseURL: environment().instanceUrl,
      extraCa: sandbox.tls.caCert,
      tokenSource: auth ?? { getAccessToken: async () => token },
    }).get('/services/data/v62.0/', auth ? {} : { validateStatus: () => true });
  const saved = (store: MemoryBlobStore, envelope: Envelope) =>
    JSON.parse(envelope.open(store.blob ?? '', context).toString('utf8')) as {
      accessToken: string;
      refreshToken: string;
    };

  it('connects through the browser with PKCE S256 and state, keeping only ciphertext in the blob', async () => {
    const opened: string[] = [];
    const { auth, options, store } = await make();
    expect(await auth.connect(browser(opened))).toBe(user().username);
    expect(opened).toHaveLength(1);
    const authorize = new URL(opened[0] ?? '');
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: sandbox.salesforce.clientId,
      redirect_uri: options.redirectUri,
      scope: 'api refresh_token id',
      code_challenge_method: 'S256',
    });
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(authorize.searchParams.get('state')).toMatch(/^[\w-]{22}$/);

    const token = await auth.getAccessToken();
    expect(await auth.apiBaseUrl()).toBe(environment().instanceUrl);
    expect((await rest(token)).status).toBe(200);
    // The stored blob is the envelope's ciphertext: no token, no JSON, nothing readable.
    const { refreshToken } = saved(store, options.envelope);
    expect(refreshToken).toMatch(/^5Aep/);
    expect(store.blob).toMatch(/^[\w-]+$/);
    for (const secret of [
      token,
      refreshToken,
      token.split('!')[1] ?? token,
      environment().instanceUrl,
      user().username,
    ])
      expect(store.blob).not.toContain(secret);
    expect(lines.join('\n')).not.toContain(token.split('!')[1] ?? token);
    expect(lines.join('\n')).not.toContain(refreshToken);

    // A restart: the same blob and key, a new strategy: the account and the token come from the blob.
    sandbox.counters.reset();
    const restarted = new OAuthPkceAuth({ ...options });
    expect(await restarted.account()).toEqual({ username: user().username });
    expect(await restarted.getAccessToken()).toBe(token);
    expect(await restarted.apiBaseUrl()).toBe(environment().instanceUrl);
    expect(sandbox.counters.snapshot().total).toBe(0);
  });

  it('refreshes once for any number of concurrent forced callers', async () => {
    const { auth, options, store } = await make();
    await auth.connect(browser());
    const before = await auth.getAccessToken();
    sandbox.counters.reset();
    const tokens = await Promise.all(
      Array.from({ length: 6 }, () => auth.getAccessToken({ forceRefresh: true })),
    );
    expect(new Set(tokens).size).toBe(1);
    expect(tokens[0]).not.toBe(before);
    expect(sandbox.counters.snapshot().byPath[tokenPath]).toBe(1);
    // The renewed token is saved: a restart uses it without asking again.
    expect(saved(store, options.envelope).accessToken).toBe(tokens[0]);
  });

  it('renews an expired session on the 401 and retries the call', async () => {
    const { auth } = await make();
    await auth.connect(browser());
    const old = await auth.getAccessToken();
    sandbox.faults.set('salesforce', { sessionsExpired: true });
    try {
      expect((await rest(old)).status).toBe(401);
      sandbox.counters.reset();
      expect((await rest('', auth)).status).toBe(200);
      expect(sandbox.counters.snapshot().byPath[tokenPath]).toBe(1);
      expect(await auth.getAccessToken()).not.toBe(old);
      expect(auth.lastError).toBeUndefined();
    } finally {
      sandbox.faults.set('salesforce', { sessionsExpired: false });
    }
  });

  it('keeps a rotated refresh token, so the next start can refresh again', async () => {
    const { auth, options, store } = await make();
    await auth.connect(browser());
    const first = saved(store, options.envelope).refreshToken;
    sandbox.faults.set('salesforce', { refreshTokenRotation: true });
    try {
      await auth.getAccessToken({ forceRefresh: true });
      const second = saved(store, options.envelope).refreshToken;
      expect(second).not.toBe(first);
      const restarted = new OAuthPkceAuth({ ...options });
      await expect(restarted.getAccessToken({ forceRefresh: true })).resolves.toMatch(/!/);
    } finally {
      sandbox.faults.set('salesforce', { refreshTokenRotation: false });
    }
  });

  it('says Reconnect when the refresh token is refused, and keeps the account', async () => {
    const changes: string[] = [];
    const { auth } = await make({ onChange: () => void changes.push('change') });
    await auth.connect(browser());
    sandbox.faults.set('salesforce', { refreshTokensRevoked: true });
    try {
      const failure = {
        code: 'needs_reconnect',
        message: 'Your Salesforce · sandbox sign-in has expired. Choose Reconnect.',
      };
      await expect(auth.getAccessToken({ forceRefresh: true })).rejects.toMatchObject(failure);
      expect(auth.lastError).toMatchObject(failure);
      expect(await auth.account()).toEqual({ username: user().username });
      expect(changes.length).toBeGreaterThan(1);
    } finally {
      sandbox.faults.set('salesforce', { refreshTokensRevoked: false });
    }
  });

  it('says the provider cannot be reached when the token endpoint is down', async () => {
    const closed = await freePort();
    const { auth, options, store } = await make();
    await auth.connect(browser());
    const offline = new OAuthPkceAuth({
      ...options,
      endpoints: {
        ...options.endpoints,
        token: `https://127.0.0.1:${closed}/services/oauth2/token`,
      },
      store,
    });
    await expect(offline.getAccessToken({ forceRefresh: true })).rejects.toMatchObject({
      code: 'upstream_unavailable',
      message: `Workstation cannot reach ${NAME}.`,
    });
  });

  it('verifies TLS: without the extra CA the stand-in is not trusted', async () => {
    const { auth, options, store } = await make();
    await auth.connect(browser());
    const { extraCa: _omitted, ...withoutCa } = options;
    const untrusting = new OAuthPkceAuth({ ...withoutCa, store });
    await expect(untrusting.getAccessToken({ forceRefresh: true })).rejects.toMatchObject({
      code: 'upstream_unavailable',
    });
    await expect(
      new OAuthPkceAuth({ ...options, store }).getAccessToken({ forceRefresh: true }),
    ).resolves.toMatch(/!/);
  });

  it('disconnects: revokes the grant at the provider, deletes the blob, forgets the account', async () => {
    const { auth, options, store } = await make();
    await auth.connect(browser());
    const token = await auth.getAccessToken();
    const { refreshToken } = saved(store, options.envelope);
    await auth.disconnect();
    expect(store.blob).toBeUndefined();
    expect(await auth.account()).toBeUndefined();
    await expect(auth.getAccessToken()).rejects.toMatchObject({ code: 'needs_reconnect' });
    const answer = await rest(token);
    expect([answer.status, answer.data]).toEqual([
      401,
      [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }],
    ]);
    // The refresh token died with it: a copy that still held it is told to reconnect.
    const held = new MemoryBlobStore();
    await held.write(
      options.envelope.seal(
        JSON.stringify({ v: 1, accessToken: token, refreshToken, username: 'x' }),
        context,
      ),
    );
    await expect(
      new OAuthPkceAuth({ ...options, store: held }).getAccessToken({ forceRefresh: true }),
    ).rejects.toMatchObject({ code: 'needs_reconnect' });
  });

  it('disconnects even when revocation fails, and logs only the reason', async () => {
    const { auth, options, store } = await make();
    await auth.connect(browser());
    const offline = new OAuthPkceAuth({
      ...options,
      endpoints: {
        ...options.endpoints,
        revoke: `https://127.0.0.1:${await freePort()}/services/oauth2/revoke`,
      },
      store,
    });
    const token = await offline.getAccessToken();
    lines.length = 0;
    await offline.disconnect();
    expect(store.blob).toBeUndefined();
    const logged = lines.join('\n');
    expect(logged).toContain('token revocation failed');
    expect(logged).toContain('ECONNREFUSED');
    expect(logged).not.toContain(token.split('!')[1] ?? token);
  });

  it('revokes the grant a reconnect replaces', async () => {
    const { auth } = await make();
    await auth.connect(browser());
    const old = await auth.getAccessToken();
    await auth.connect(browser());
    expect((await rest(old)).status).toBe(401);
    expect((await rest(await auth.getAccessToken())).status).toBe(200);
  });

  it('shows the browser what happened: declined (access_denied or access-denied), or a response for another sign-in', async () => {
    for (const spelling of ['access_denied', 'access-denied']) {
      const { auth } = await make();
      const pages: { status: number; body: string; headers: Record<string, unknown> }[] = [];
      let browsing: Promise<void> = Promise.resolve();
      const declining: IBrowserOpener = {
        open: (url) =>
          (browsing = (async () => {
            const authorize = new URL(url);
            const redirect = authorize.searchParams.get('redirect_uri') ?? '';
            // A response for another sign-in is refused and the wait goes on.
            pages.push(await browse(`${redirect}?code=stolen&state=not-ours`));
            if (spelling === 'access_denied') {
              const callback = await completeSalesforceConsent(url, {
                user: user().upn,
                allow: false,
                ca: sandbox.tls.caCert,
                deliver: false,
              });
              expect(callback.searchParams.get('error')).toBe('access_denied');
              pages.push(await browse(callback.toString()));
            } else {
              pages.push(
                await browse(
                  `${redirect}?error=access-denied&state=${authorize.searchParams.get('state') ?? ''}`,
                ),
              );
            }
          })()),
      };
      await expect(auth.connect(declining)).rejects.toMatchObject({ code: 'consent_declined' });
      await browsing;
      expect(auth.lastError?.code).toBe('consent_declined');
      expect(pages[0]).toMatchObject({ status: 400 });
      expect(pages[0]?.body).toContain('did not complete');
      expect(pages[1]?.body).toContain(`You declined the sign-in to ${NAME}`);
      expect(pages[1]?.body).toContain('Return to Workstation');
      // Nothing loads or runs but the page's own style block, allowed by its hash.
      const csp = String(pages[1]?.headers['content-security-policy']);
      const style = /<style>(.*?)<\/style>/.exec(pages[1]?.body ?? '')?.[1] ?? '';
      expect(csp).toBe(
        `default-src 'none'; style-src 'sha256-${createHash('sha256').update(style).digest('base64')}'`,
      );
      expect(style).not.toBe('');
    }
  });

  it('tells the browser it is signed in only once the code was exchanged', async () => {
    const { auth } = await make();
    let page = '';
    let browsing: Promise<void> = Promise.resolve();
    await auth.connect({
      // The tab shows its page only after the exchange, so the opener resolves after connect does.
      open: (url) =>
        (browsing = (async () => {
          const callback = await completeSalesforceConsent(url, {
            user: user().upn,
            ca: sandbox.tls.caCert,
            deliver: false,
          });
          page = (await browse(callback.toString())).body;
        })()),
    });
    await browsing;
    expect(page).toContain(`You are signed in to ${NAME}.`);
    expect(page).toContain('return to Workstation');
  });

  it('gives up when the browser never comes back, and frees the port', async () => {
    const { auth, options } = await make({ callbackTimeoutMs: 200 });
    await expect(auth.connect({ open: async () => undefined })).rejects.toMatchObject({
      code: 'timeout',
    });
    const port = Number(new URL(options.redirectUri).port);
    const server: Server = createServer();
    await new Promise<void>((resolve, reject) =>
      server.once('error', reject).listen(port, '127.0.0.1', resolve),
    );
    await new Promise((resolve) => server.close(resolve));
  });

  it('says so when the registered port is in use, before opening the browser', async () => {
    const busy: Server = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    try {
      const port = (busy.address() as { port: number }).port;
      const opened: string[] = [];
      const { auth } = await make({ redirectUri: `http://localhost:${port}/callback` });
      await expect(auth.connect(browser(opened))).rejects.toMatchObject({
        code: 'conflict',
        message: expect.stringContaining(`port ${port}`),
      });
      expect(opened).toEqual([]);
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
  });

  it('refuses a redirect that is not a loopback http URL', async () => {
    for (const redirectUri of [
      'https://localhost:17170/callback',
      'http://example.com:17170/callback',
      'http://localhost/callback',
      'sfdc://callback',
    ]) {
      await expect(make({ redirectUri })).rejects.toMatchObject({ code: 'invalid_input' });
    }
  });
});

describe('the encrypted blob of an OAuth PKCE connection', () => {
  const key = randomBytes(32);
  const make = (store: MemoryBlobStore, envelope = createEnvelope(key)) =>
    new OAuthPkceAuth({
      displayName: NAME,
      clientId: 'client',
      endpoints: {
        authorize: 'https://login.example/authorize',
        token: 'https://login.example/token',
        revoke: 'https://login.example/revoke',
      },
      scopes: ['api'],
      redirectUri: 'http://127.0.0.1:17170/callback',
      resolveUsername: async () => 'unused',
      store,
      envelope,
      envelopeContext: context,
      logger: pino({ level: 'silent' }),
      onChange: () => undefined,
    });
  const sealed = (envelope = createEnvelope(key)) =>
    envelope.seal(
      JSON.stringify({
        v: 1,
        accessToken: '00D!token',
        refreshToken: '5Aep-refresh',
        instanceUrl: 'https://acme.my.salesforce.com',
        username: 'ann@acme.example',
      }),
      context,
    );

  it('opens what it sealed', async () => {
    const store = new MemoryBlobStore();
    store.blob = sealed();
    const auth = make(store);
    expect(await auth.account()).toEqual({ username: 'ann@acme.example' });
    expect(await auth.apiBaseUrl()).toBe('https://acme.my.salesforce.com');
    expect(await auth.getAccessToken()).toBe('00D!token');
  });

  it('deletes a blob that does not authenticate (the key is gone) and asks to reconnect', async () => {
    const store = new MemoryBlobStore();
    store.blob = sealed(createEnvelope(randomBytes(32)));
    const auth = make(store);
    expect(await auth.account()).toBeUndefined();
    expect(auth.lost).toBe(true);
    expect(auth.lastError).toMatchObject({
      code: 'needs_reconnect',
      message: `Your saved ${NAME} sign-in could not be unlocked on this device. Choose Reconnect.`,
    });
    expect(store.blob).toBeUndefined();
  });

  it('keeps a blob written by a newer Workstation, says to update, and will not connect over it', async () => {
    const store = new MemoryBlobStore();
    const bytes = Buffer.from(sealed(), 'base64url');
    bytes[0] = 2;
    store.blob = bytes.toString('base64url');
    const auth = make(store);
    expect(await auth.account()).toBeUndefined();
    expect(auth.newer).toBe(true);
    expect(auth.lastError).toMatchObject({
      code: 'unavailable',
      message: expect.stringContaining('Update Workstation'),
    });
    const opened: string[] = [];
    await expect(
      auth.connect({ open: async (url) => void opened.push(url) }),
    ).rejects.toMatchObject({ code: 'unavailable' });
    expect(opened).toEqual([]);
    expect(store.blob).toBe(bytes.toString('base64url'));
  });

  it('asks to reconnect over a damaged blob, and keeps it until a save replaces it', async () => {
    for (const blob of [
      'not an envelope!',
      createEnvelope(key).seal('not json', context),
      createEnvelope(key).seal(JSON.stringify({ v: 1, username: 'no token' }), context),
    ]) {
      const store = new MemoryBlobStore();
      store.blob = blob;
      const auth = make(store);
      expect(await auth.account()).toBeUndefined();
      expect(auth.lost).toBe(true);
      expect(auth.lastError?.code).toBe('needs_reconnect');
      expect(store.blob).toBe(blob);
    }
  });

  it('says the store cannot be reached, and reads again next time', async () => {
    const store = new MemoryBlobStore();
    let failing = true;
    const flaky = Object.assign(store, {
      read: async () => {
        if (failing)
          throw workstationError('store_unreachable', 'The token store cannot be reached.');
        return sealed();
      },
    });
    const auth = make(flaky);
    await expect(auth.getAccessToken()).rejects.toMatchObject({ code: 'store_unreachable' });
    failing = false;
    expect(await auth.getAccessToken()).toBe('00D!token');
  });
});
