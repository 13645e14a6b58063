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
    expect(redactString('Authorization: Bearer abcdefghijk123')).toBe(`Authorization: Bearer ${REDACTED}`);
    expect(redactString('/cb?code=SECRETCODE&state=1')).toBe(`/cb?code=${REDACTED}&state=1`);
    expect(redactString('grant_type=refresh_token&refresh_token=0.ABC.def')).toContain(`refresh_token=${REDACTED}`);
  });

  it('masks secret-named keys whole and keeps the rest', () => {
    const out = redactSecrets({ headers: { authorization: 'x', accept: 'json' }, salt: 'abc', user: 'ann' });
    expect(out).toEqual({ headers: { authorization: REDACTED, accept: 'json' }, salt: REDACTED, user: 'ann' });
  });

  it('survives cycles and errors', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    expect(redactSecrets(a)).toEqual({ name: 'a', self: '[circular]' });
    expect(redactSecrets(new Error(`bad ${jwt}`))).toMatchObject({ message: `bad ${REDACTED}` });
  });
});
