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
});
