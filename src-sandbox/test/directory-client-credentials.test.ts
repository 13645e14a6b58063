import { ConfidentialClientApplication } from '@azure/msal-node';
import { randomUUID } from 'node:crypto';
import { decodeJwt, importPKCS8, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TENANT_ID, DIRECTORY_SYNC_CLIENT_ID } from '../../src-shared/demo-tenant';
import { generateCertificate } from '../entra/app-registrations';
import { startSandbox, type Sandbox } from '../start-sandbox';
import { createCaNetworkClient } from '../test-support/ca-network-client';
import { postForm } from '../test-support/post-form';

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

// The client credentials grant as Learn documents it, with a secret and with a certificate
// assertion (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow,
// https://learn.microsoft.com/entra/identity-platform/certificate-credentials), through MSAL Node
// 7.2.1 unmodified and as raw requests for the errors
// (https://learn.microsoft.com/azure/developer/java/sdk/troubleshooting-authentication-service-principal).
describe('Entra stand-in: client credentials for directory sync', () => {
  let sandbox: Sandbox;
  let scope: string;
  const token = (fields: Record<string, string>) =>
    postForm(sandbox.directory.tokenUrl, fields, sandbox.tls.caCert);
  const msal = (
    credentials: ConstructorParameters<typeof ConfidentialClientApplication>[0]['auth'],
  ) =>
    new ConfidentialClientApplication({
      auth: {
        ...credentials,
        authority: sandbox.entra.authority(),
        knownAuthorities: [sandbox.entra.knownAuthority],
      },
      system: { protocolMode: 'OIDC', networkClient: createCaNetworkClient(sandbox.tls.caCert) },
    });
  /** A certificate assertion as certificate-credentials shows it, with overrides. */
  const assertion = async (
    options: {
      keyPem?: string;
      header?: Record<string, string>;
      claims?: Record<string, unknown>;
      alg?: 'PS256' | 'RS256';
    } = {},
  ) => {
    const now = Math.floor(Date.now() / 1000);
    const alg = options.alg ?? 'PS256';
    return new SignJWT({
      aud: sandbox.directory.tokenUrl,
      iss: DIRECTORY_SYNC_CLIENT_ID,
      sub: DIRECTORY_SYNC_CLIENT_ID,
      jti: randomUUID(),
      nbf: now,
      iat: now,
      exp: now + 600,
      ...options.claims,
    })
      .setProtectedHeader({
        alg,
        typ: 'JWT',
        'x5t#S256': Buffer.from(sandbox.directory.certificate.thumbprintSha256, 'hex').toString(
          'base64url',
        ),
        ...options.header,
      })
      .sign(await importPKCS8(options.keyPem ?? sandbox.directory.certificate.keyPem, alg));
  };

  beforeAll(async () => {
    sandbox = await startSandbox({ size: 'small' });
    scope = `${sandbox.dataverse.orgUrl}/.default`;
  });
  afterAll(async () => sandbox?.stop());

  it('issues an app-only token for <org>/.default to MSAL with the client secret', async () => {
    const result = await msal({
      clientId: DIRECTORY_SYNC_CLIENT_ID,
      clientSecret: sandbox.directory.clientSecret,
    }).acquireTokenByClientCredential({ scopes: [scope] });
    const claims = decodeJwt(result?.accessToken ?? '');
    expect(claims).toMatchObject({
      aud: sandbox.dataverse.orgUrl,
      tid: DEMO_TENANT_ID,
      appid: DIRECTORY_SYNC_CLIENT_ID,
      appidacr: '1',
      idtyp: 'app',
      ver: '1.0',
    });
    expect(claims.oid).toBe(claims.sub);
    expect(claims.scp).toBeUndefined();
    // Dataverse has no application permissions to grant: its application users hold security roles.
    expect(claims.roles).toBeUndefined();
  });

  it('answers the documented token response without a refresh token', async () => {
    const answer = await token({
      client_id: DIRECTORY_SYNC_CLIENT_ID,
      client_secret: sandbox.directory.clientSecret,
      scope,
      grant_type: 'client_credentials',
    });
    expect(answer.status).toBe(200);
    const body = answer.json();
    expect(Object.keys(body).sort()).toEqual([
      'access_token',
      'expires_in',
      'ext_expires_in',
      'token_type',
    ]);
    expect(body.token_type).toBe('Bearer');
  });

  it('accepts client_secret_basic as well as client_secret_post', async () => {
    const basic = Buffer.from(
      `${DIRECTORY_SYNC_CLIENT_ID}:${encodeURIComponent(sandbox.directory.clientSecret)}`,
    ).toString('base64');
    const without = await token({ scope, grant_type: 'client_credentials' });
    expect(without.status).toBe(400);
    const withBasic = await postForm(
      sandbox.directory.tokenUrl,
      { scope, grant_type: 'client_credentials' },
      sandbox.tls.caCert,
      { authorization: `Basic ${basic}` },
    );
    expect(withBasic.status).toBe(200);
  });

  it('answers AADSTS7000215 when the secret id is sent instead of its value', async () => {
    const answer = await token({
      client_id: DIRECTORY_SYNC_CLIENT_ID,
      client_secret: sandbox.directory.clientSecretId,
      scope,
      grant_type: 'client_credentials',
    });
    expect(answer.status).toBe(401);
    const body = answer.json<{ error: string; error_description: string; error_codes: number[] }>();
    expect(body.error).toBe('invalid_client');
    expect(body.error_codes).toEqual([7000215]);
    expect(body.error_description).toMatch(/^AADSTS7000215: Invalid client secret provided/);
  });

  it('surfaces AADSTS7000215 through MSAL as a ServerError with the code', async () => {
    await expect(
      msal({
        clientId: DIRECTORY_SYNC_CLIENT_ID,
        clientSecret: 'wrong',
      }).acquireTokenByClientCredential({ scopes: [scope] }),
    ).rejects.toMatchObject({
      errorCode: 'invalid_client',
      errorMessage: expect.stringContaining('AADSTS7000215'),
    });
  });

  it('answers AADSTS700016 for an unknown app or the wrong tenant, AADSTS7000218 without credentials', async () => {
    const unknown = await token({
      client_id: randomUUID(),
      client_secret: 'x',
      scope,
      grant_type: 'client_credentials',
    });
    expect(unknown.status).toBe(400);
    expect(unknown.json().error_codes).toEqual([700016]);
    const otherTenant = await postForm(
      sandbox.directory.tokenUrl.replace(DEMO_TENANT_ID, 'b3d9e8a1-4c27-4f6b-8e15-7a0c2d9f3b64'),
      {
        client_id: DIRECTORY_SYNC_CLIENT_ID,
        client_secret: sandbox.directory.clientSecret,
        scope,
        grant_type: 'client_credentials',
      },
      sandbox.tls.caCert,
    );
    expect(otherTenant.json().error_codes).toEqual([700016]);
    const bare = await token({
      client_id: DIRECTORY_SYNC_CLIENT_ID,
      scope,
      grant_type: 'client_credentials',
    });
    expect(bare.status).toBe(401);
    expect(bare.json().error_codes).toEqual([7000218]);
  });

  it('takes only <resource>/.default (AADSTS1002012) of a known resource (AADSTS500011)', async () => {
    const named = await token({
      client_id: DIRECTORY_SYNC_CLIENT_ID,
      client_secret: sandbox.directory.clientSecret,
      scope: `${sandbox.dataverse.orgUrl}/user_impersonation`,
      grant_type: 'client_credentials',
    });
    expect(named.status).toBe(400);
    expect(named.json()).toMatchObject({ error: 'invalid_scope', error_codes: [1002012] });
    const wrongOrg = await token({
      client_id: DIRECTORY_SYNC_CLIENT_ID,
      client_secret: sandbox.directory.clientSecret,
      scope: 'https://nowhere.crm.dynamics.com/.default',
      grant_type: 'client_credentials',
    });
    expect(wrongOrg.status).toBe(400);
    expect(wrongOrg.json()).toMatchObject({ error: 'invalid_resource', error_codes: [500011] });
  });

  it('issues to MSAL with the certificate, by SHA-256 (PS256) or SHA-1 (RS256) thumbprint', async () => {
    const { certificate } = sandbox.directory;
    for (const credentials of [
      { thumbprintSha256: certificate.thumbprintSha256, privateKey: certificate.keyPem },
      { thumbprint: certificate.thumbprint, privateKey: certificate.keyPem },
    ]) {
      const result = await msal({
        clientId: DIRECTORY_SYNC_CLIENT_ID,
        clientCertificate: credentials,
      }).acquireTokenByClientCredential({ scopes: [scope] });
      expect(decodeJwt(result?.accessToken ?? '')).toMatchObject({ appidacr: '2', idtyp: 'app' });
    }
  });

  it('accepts a hand-made assertion and refuses each flaw with its AADSTS code', async () => {
    const send = async (clientAssertion: string, type = JWT_BEARER) =>
      token({
        client_id: DIRECTORY_SYNC_CLIENT_ID,
        client_assertion_type: type,
        client_assertion: clientAssertion,
        scope,
        grant_type: 'client_credentials',
      });
    expect((await send(await assertion())).status).toBe(200);
    expect((await send(await assertion({ alg: 'RS256' }))).status).toBe(200);
    const codeOf = async (clientAssertion: string) =>
      (await send(clientAssertion)).json().error_codes;
    // Signed by a key whose certificate was never uploaded, under the registered thumbprint.
    expect(
      await codeOf(await assertion({ keyPem: (await generateCertificate('other')).keyPem })),
    ).toEqual([700027]);
    // A thumbprint the app does not have.
    expect(
      await codeOf(
        await assertion({ header: { 'x5t#S256': Buffer.alloc(32).toString('base64url') } }),
      ),
    ).toEqual([700027]);
    expect(
      await codeOf(
        await assertion({
          claims: { aud: 'https://login.microsoftonline.com/x/oauth2/v2.0/token' },
        }),
      ),
    ).toEqual([700023]);
    expect(await codeOf(await assertion({ claims: { iss: randomUUID() } }))).toEqual([700021]);
    const past = Math.floor(Date.now() / 1000) - 3600;
    expect(
      await codeOf(await assertion({ claims: { nbf: past - 600, iat: past - 600, exp: past } })),
    ).toEqual([700024]);
    expect((await send(await assertion(), 'urn:other')).status).toBe(400);
  });
});
