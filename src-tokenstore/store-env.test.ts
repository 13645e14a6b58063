import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { storeEnvSchema } from './store-env';

const required = {
  TOKENSTORE_ISSUER_TEMPLATE: 'https://login.microsoftonline.com/{tenantid}/v2.0',
  TOKENSTORE_JWKS_URI: 'https://login.microsoftonline.com/common/discovery/v2.0/keys',
};

describe('the token store environment', () => {
  it('reads TOKENSTORE_EXTRA_ORIGINS as the origins admins may name for any integration', () => {
    expect(
      storeEnvSchema.parse({
        ...required,
        TOKENSTORE_EXTRA_ORIGINS: 'https://crm.sandbox.test:8443, https://login.sandbox.test:8443',
      }).extraOrigins,
    ).toEqual(['https://crm.sandbox.test:8443', 'https://login.sandbox.test:8443']);
    expect(storeEnvSchema.parse(required).extraOrigins).toBeUndefined();
  });

  it('still reads the old name TOKENSTORE_EXTRA_ORG_ORIGINS, when the new one is unset', () => {
    expect(
      storeEnvSchema.parse({
        ...required,
        TOKENSTORE_EXTRA_ORG_ORIGINS: 'https://crm.sandbox.test:8443',
      }).extraOrigins,
    ).toEqual(['https://crm.sandbox.test:8443']);
    expect(
      storeEnvSchema.parse({
        ...required,
        TOKENSTORE_EXTRA_ORG_ORIGINS: 'https://old.test',
        TOKENSTORE_EXTRA_ORIGINS: 'https://new.test',
      }).extraOrigins,
    ).toEqual(['https://new.test']);
  });

  it("turns the admin console on with its client id and authority, asking for the store's own scope", () => {
    const off = storeEnvSchema.parse(required);
    expect(off.TOKENSTORE_ADMIN_CONSOLE_CLIENT_ID).toBeUndefined();
    const on = storeEnvSchema.parse({
      ...required,
      TOKENSTORE_AUDIENCE: 'e4b2c9d1-7a35-4f08-b6c2-3d8e1f5a9c40',
      TOKENSTORE_ADMIN_CONSOLE_CLIENT_ID: '7d3e1b90-2c4a-4f6e-8b15-a9c0d2e4f613',
      TOKENSTORE_ADMIN_CONSOLE_AUTHORITY:
        'https://login.microsoftonline.com/contoso.onmicrosoft.com',
      TOKENSTORE_PUBLIC_URL: 'https://workstation.contoso.com/ignored/path',
    });
    expect([on.adminConsoleScope, on.TOKENSTORE_PUBLIC_URL]).toEqual([
      'api://e4b2c9d1-7a35-4f08-b6c2-3d8e1f5a9c40/access_as_user',
      'https://workstation.contoso.com',
    ]);
    const missing = storeEnvSchema.safeParse({
      ...required,
      TOKENSTORE_ADMIN_CONSOLE_CLIENT_ID: '7d3e1b90-2c4a-4f6e-8b15-a9c0d2e4f613',
    });
    expect(missing.error?.issues.map((issue) => issue.path.join('.'))).toEqual([
      'TOKENSTORE_ADMIN_CONSOLE_AUTHORITY',
    ]);
    expect(
      storeEnvSchema.safeParse({ ...required, TOKENSTORE_PUBLIC_URL: 'http://plain.test' }).success,
    ).toBe(false);
  });

  it('runs one process unless TOKENSTORE_WORKERS names 1 to 64, or auto for one per core', () => {
    const workers = (value?: string) =>
      storeEnvSchema.parse({ ...required, TOKENSTORE_WORKERS: value }).TOKENSTORE_WORKERS;
    expect(workers()).toBe(1);
    expect(workers('4')).toBe(4);
    expect(workers('64')).toBe(64);
    expect(workers('auto')).toBe(Math.min(availableParallelism(), 64));
    for (const wrong of ['0', '65', 'many', '2.5', ''])
      expect(
        storeEnvSchema.safeParse({ ...required, TOKENSTORE_WORKERS: wrong }).error?.issues,
      ).toEqual([
        expect.objectContaining({
          path: ['TOKENSTORE_WORKERS'],
          message: 'a whole number of processes from 1 to 64, or auto',
        }),
      ]);
  });
});
