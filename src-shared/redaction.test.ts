import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REDACTED, redactSecrets, redactString } from './redaction';

const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ';

describe('redaction', () => {
  it('masks JWTs inside free text', () => {
    const out = redactString(`token was ${jwt} ok`);
    expect(out).not.toContain('eyJ');
    expect(out).toContain(REDACTED);
  });

  it('masks bearer credentials and OAuth parameters in URLs and forms', () => {
    expect(redactString('Authorization: Bearer abcdefghijk123')).toBe(
      `Authorization: Bearer ${REDACTED}`,
    );
    expect(redactString('/cb?code=SECRETCODE&state=1')).toBe(`/cb?code=${REDACTED}&state=1`);
    expect(redactString('grant_type=refresh_token&refresh_token=0.ABC.def')).toContain(
      `refresh_token=${REDACTED}`,
    );
  });

  it('masks secret-named keys whole and keeps the rest', () => {
    const out = redactSecrets({
      headers: { authorization: 'x', accept: 'json' },
      salt: 'abc',
      user: 'ann',
    });
    expect(out).toEqual({
      headers: { authorization: REDACTED, accept: 'json' },
      salt: REDACTED,
      user: 'ann',
    });
  });

  it('survives cycles and errors', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    expect(redactSecrets(a)).toEqual({ name: 'a', self: '[circular]' });
    expect(redactSecrets(new Error(`bad ${jwt}`))).toMatchObject({ message: `bad ${REDACTED}` });
  });
});

// Entra refresh tokens and authorization codes are opaque, not JWTs: only their field name gives them away.
// Shapes after https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow
const refreshToken =
  '0.AVYA9dO4ZQjs5EyqxIgqEPBvhd8vNbBfFvJOoF4B8qPq0lWvAAA.AgABAAEAAAD--DLA3VO7QrddgJg7WevrAgDs_wUA9P_2kKdT-5Yh2xRkS3qZ';
const authCode = 'M.C507_BAY.2.U.4bd5d3f0-7c5e-5b6f-1a2b-3c4d5e6f7a8b';
const entraCode = '1.AVYA9dO4ZQjs5EyqxIgqEPBvhd8vNbBfFvJOoF4B8qPq0lWvAAA.AgABBAIAAAD-xyz_Qq0';
const secrets = [
  refreshToken,
  authCode,
  entraCode,
  'hunter2-Passw0rd',
  'verifier-0123456789abcdefghijklmnopqrstuvwxyz',
];

/** Fails with the secret's name when any of the test secrets survives in the logged form. */
function expectNoSecret(logged: unknown) {
  const text = typeof logged === 'string' ? logged : JSON.stringify(logged);
  for (const secret of secrets) expect(text).not.toContain(secret);
}

describe('redaction of opaque OAuth tokens and codes by field name', () => {
  it('masks them in objects and nested arrays, whatever the spelling of the key', () => {
    const logged = redactSecrets({
      refresh_token: refreshToken,
      refreshToken,
      body: {
        code: authCode,
        code_verifier: secrets[4],
        client_assertion: refreshToken,
        assertion: entraCode,
        password: secrets[3],
      },
      batch: [
        [{ code: entraCode }],
        [{ accessToken: refreshToken, idToken: entraCode, clientSecret: secrets[3] }],
      ],
    });
    expectNoSecret(logged);
    expect(logged).toMatchObject({
      refresh_token: REDACTED,
      body: { code: REDACTED },
      batch: [[{ code: REDACTED }], [{ accessToken: REDACTED }]],
    });
  });

  it('masks them in query strings and form bodies and keeps the other parameters', () => {
    const form = `grant_type=refresh_token&client_id=abc&refresh_token=${refreshToken}&client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer&client_assertion=${entraCode}&scope=openid`;
    const out = redactString(`POST /token ${form}`);
    expectNoSecret(out);
    expect(out).toBe(
      `POST /token grant_type=refresh_token&client_id=abc&refresh_token=${REDACTED}&client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer&client_assertion=${REDACTED}&scope=openid`,
    );
    expect(redactString(`https://app.example/cb?code=${authCode}&state=s1&session_state=x`)).toBe(
      `https://app.example/cb?code=${REDACTED}&state=s1&session_state=x`,
    );
    expect(
      redactString(
        `code_verifier=${secrets[4]}&password=${secrets[3]}&assertion=${entraCode}&access_token=${refreshToken}&id_token=${entraCode}`,
      ),
    ).toBe(
      `code_verifier=${REDACTED}&password=${REDACTED}&assertion=${REDACTED}&access_token=${REDACTED}&id_token=${REDACTED}`,
    );
  });

  it('masks them URL-encoded: as form values and inside an encoded URL', () => {
    const encoded = encodeURIComponent(refreshToken + '+/=');
    expect(redactString(`refresh_token=${encoded}&scope=openid`)).toBe(
      `refresh_token=${REDACTED}&scope=openid`,
    );
    const nested = `/login?redirect=${encodeURIComponent(`https://app.example/cb?code=${authCode}&state=s1`)}`;
    const out = redactString(nested);
    expectNoSecret(out);
    expect(out).toContain('state%3Ds1');
  });

  it('masks them in JSON text inside strings, also when the JSON is escaped once more', () => {
    const body = JSON.stringify({
      token_type: 'Bearer',
      refresh_token: refreshToken,
      id_token: entraCode,
      expires_in: 3599,
    });
    const out = redactString(`token endpoint answered ${body}`);
    expectNoSecret(out);
    expect(out).toContain('"token_type":"Bearer"');
    expect(out).toContain('"expires_in":3599');
    expectNoSecret(redactString(`wrapped ${JSON.stringify({ body })}`));
    expectNoSecret(redactString(`{"code": "${authCode}", "state": "s1"}`));
  });

  it('masks them in error messages and causes, and keeps the cause', () => {
    const cause = new Error(
      `upstream said {"code":"${entraCode}"} for refresh_token=${refreshToken}`,
    );
    const error = new Error(`token request failed: code=${authCode}`, { cause });
    const logged = redactSecrets({ err: error });
    expectNoSecret(logged);
    expect(logged).toMatchObject({
      err: {
        message: `token request failed: code=${REDACTED}`,
        cause: { message: expect.stringContaining('upstream said') },
      },
    });
  });

  it('masks sandbox-style codes (32 random bytes, base64url) under the key code, always', () => {
    const base64url = fc.constantFrom(
      ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_',
    );
    fc.assert(
      fc.property(fc.string({ unit: base64url, minLength: 43, maxLength: 43 }), (code) => {
        expect(redactSecrets({ code })).toEqual({ code: REDACTED });
        expect(redactString(`{"code":"${code}"}`)).toBe(`{"code":"${REDACTED}"}`);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('error codes stay visible', () => {
  it.each([
    ['a Node error code', 'ECONNREFUSED'],
    ['a Node ERR_ code', 'ERR_BAD_REQUEST'],
    ['an OAuth error', 'invalid_grant'],
    ['a Workstation error code', 'needs_reconnect'],
    ['an Entra error number', 'AADSTS70008'],
    ['a Graph error code', 'InvalidAuthenticationToken'],
    ['a Graph error code with an underscore', 'Request_ResourceNotFound'],
    ['a Dataverse error code', '0x80040217'],
    ['an HTTP status', 429],
  ])('%s (%s) under the key code, in objects, errors and JSON text', (_name, code) => {
    expect(redactSecrets({ code })).toEqual({ code });
    expect(redactSecrets({ error: { code, message: 'x' } })).toEqual({
      error: { code, message: 'x' },
    });
    expect(redactSecrets(Object.assign(new Error('failed'), { code }))).toMatchObject({ code });
    const json = JSON.stringify({ error: { code, message: 'x' } });
    expect(redactString(`upstream answered ${json}`)).toBe(`upstream answered ${json}`);
  });

  it('keeps the code of an error and of its cause', () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), {
      code: 'ECONNREFUSED',
    });
    const error = Object.assign(new Error('search failed', { cause }), { code: 'needs_reconnect' });
    expect(redactSecrets({ err: error })).toMatchObject({
      err: {
        code: 'needs_reconnect',
        cause: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:443' },
      },
    });
  });
});
