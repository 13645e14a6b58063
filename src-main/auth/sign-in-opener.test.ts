import { describe, expect, it } from 'vitest';
import type { IBrowserOpener } from './msal-client-config';
import { signInOpener } from './sign-in-opener';

function recorder() {
  const opened: string[] = [];
  const browser: IBrowserOpener = {
    open: async (url) => {
      opened.push(url);
    },
  };
  return { opened, browser };
}

const authority = 'https://login.microsoftonline.com/contoso.onmicrosoft.com';

describe('sign-in opener', () => {
  it('opens sign-in pages on the configured authority and the hosts MSAL trusts', async () => {
    const { opened, browser } = recorder();
    const guarded = signInOpener(browser, {
      authority,
      knownAuthorities: ['127.0.0.1:8443'],
    });
    await guarded.open(
      'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize?client_id=x',
      'sign_in',
    );
    await guarded.open('https://127.0.0.1:8443/tenant/oauth2/v2.0/authorize', 'connect');
    expect(opened).toEqual([
      'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize?client_id=x',
      'https://127.0.0.1:8443/tenant/oauth2/v2.0/authorize',
    ]);
  });

  it.each([
    'https://evil.example/contoso.onmicrosoft.com/oauth2/v2.0/authorize',
    'https://login.microsoftonline.com.evil.example/authorize',
    'https://login.microsoftonline.com:444/authorize',
    'http://login.microsoftonline.com/authorize',
    'https://user:pw@login.microsoftonline.com/authorize',
    'https://127.0.0.1:9999/authorize',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'not a url',
  ])('refuses %s without touching the browser', async (url) => {
    const { opened, browser } = recorder();
    const guarded = signInOpener(browser, { authority, knownAuthorities: ['127.0.0.1:8443'] });
    await expect(guarded.open(url, 'sign_in')).rejects.toMatchObject({ code: 'forbidden' });
    expect(opened).toEqual([]);
  });

  it('guards a provider authorize endpoint by its own origin', async () => {
    const { opened, browser } = recorder();
    const guarded = signInOpener(browser, {
      authority: 'https://login.salesforce.com/services/oauth2/authorize',
    });
    await guarded.open('https://login.salesforce.com/services/oauth2/authorize?x=1', 'connect');
    await expect(
      guarded.open('https://test.salesforce.com/services/oauth2/authorize', 'connect'),
    ).rejects.toMatchObject({ code: 'forbidden' });
    expect(opened).toHaveLength(1);
  });
});
