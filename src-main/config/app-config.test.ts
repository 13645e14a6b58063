import { describe, expect, it } from 'vitest';
import { integrationSettingsFromEnv } from './env-source';
import { loadAppConfig } from './load-app-config';

const tenant = {
  WORKSTATION_AUTHORITY: 'https://login.microsoftonline.com/6f1c3a52-8e0b-4d7e-9a3f-2b5c8d1e4f70',
  WORKSTATION_CLIENT_ID: '0c7a4f2e-5b19-4d83-a6e0-91f2c8b3d5a7',
  WORKSTATION_TOKENSTORE_URL: 'https://tokenstore.example',
  WORKSTATION_TOKENSTORE_SCOPE: 'api://tokenstore/access_as_user',
};

describe('the app configuration', () => {
  it('hands each integration its own WORKSTATION_<ID>_<NAME> settings, named in camelCase', () => {
    const settings = integrationSettingsFromEnv({
      WORKSTATION_SALESFORCE_CLIENT_ID: '3MVG9-demo',
      WORKSTATION_SALESFORCE_REDIRECT_PORT: '18000',
      WORKSTATION_DYNAMICS_: 'no name: ignored',
      WORKSTATION_NOSUCH_CLIENT_ID: 'not an integration: ignored',
      WORKSTATION_CLIENT_ID: 'the app itself: not an integration setting',
    });
    expect(settings).toEqual({ salesforce: { clientId: '3MVG9-demo', redirectPort: '18000' } });
  });

  it('reads a tenant from the environment, integration settings included', () => {
    const config = loadAppConfig(
      { ...tenant, WORKSTATION_SALESFORCE_CLIENT_ID: 'key' },
      { dataDir: '/tmp/ws' },
    );
    expect(config.identity).toMatchObject({
      clientId: tenant.WORKSTATION_CLIENT_ID,
      tokenStoreUrl: tenant.WORKSTATION_TOKENSTORE_URL,
      integrations: { salesforce: { clientId: 'key' } },
    });
    expect(config.mode).toBe('tenant');
    expect(config.managed).toEqual([]);
  });

  it('runs without a tenant when none is configured', () => {
    const config = loadAppConfig({ WORKSTATION_LOG_LEVEL: 'debug' }, { dataDir: '/tmp/ws' });
    expect(config).toMatchObject({ identity: undefined, mode: 'demo', logLevel: 'debug' });
  });

  it('refuses an invalid value with a message naming the variable', () => {
    expect(() =>
      loadAppConfig(
        { ...tenant, WORKSTATION_TOKENSTORE_URL: 'http://tokenstore.example' },
        { dataDir: '/tmp/ws' },
      ),
    ).toThrow('the environment: WORKSTATION_TOKENSTORE_URL must be an https URL');
    expect(() =>
      loadAppConfig(
        { ...tenant, WORKSTATION_EXTRA_ORG_ORIGINS: 'https://ok.example,http://bad.example' },
        { dataDir: '/tmp/ws' },
      ),
    ).toThrow('the environment: WORKSTATION_EXTRA_ORG_ORIGINS must be an https URL');
  });

  it('reads the auto-update feed from WORKSTATION_UPDATE_FEED_URL, and has none unless one is set', () => {
    expect(loadAppConfig({}, { dataDir: '/tmp/ws' }).updates.feedUrl).toBeUndefined();
    expect(
      loadAppConfig(
        { WORKSTATION_UPDATE_FEED_URL: 'https://updates.contoso.example/workstation' },
        { dataDir: '/tmp/ws' },
      ).updates.feedUrl,
    ).toBe('https://updates.contoso.example/workstation');
  });

  it('refuses an update feed that is not https: updates are code the app will run', () => {
    expect(() =>
      loadAppConfig(
        { WORKSTATION_UPDATE_FEED_URL: 'http://updates.contoso.example/workstation' },
        { dataDir: '/tmp/ws' },
      ),
    ).toThrow('the environment: WORKSTATION_UPDATE_FEED_URL must be an https URL');
  });
});
