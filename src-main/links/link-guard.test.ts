import { describe, expect, it } from 'vitest';
import { checkOpenUrl } from './link-guard';

const org = ['contoso.crm4.dynamics.com'];

describe('link guard', () => {
  it.each([
    'https://contoso.crm4.dynamics.com/main.aspx?etn=contact&id=1&pagetype=entityrecord',
    'https://teams.microsoft.com/l/meetup-join/19%3a/0',
    'https://contoso.zoom.us/j/123',
    'https://fabrikam.webex.com/meet/x',
    'https://app.gong.io/call?id=1',
  ])('opens %s', (url) => {
    expect(checkOpenUrl(url, org).toString()).toBe(new URL(url).toString());
  });

  it.each(['mailto:sean.obrien@contoso.example', 'tel:+12065551234', 'tel:+1-206-555-1234'])(
    'hands %s to the mail or phone app',
    (url) => {
      expect(checkOpenUrl(url, org).toString()).toBe(url);
    },
  );

  it.each([
    ['mailto:a@b.example?bcc=everyone@b.example', 'forbidden'],
    ['mailto:a@b.example,c@d.example', 'forbidden'],
    ['mailto:not-an-address', 'forbidden'],
    ['mailto:a@b.example#x', 'forbidden'],
    ['tel:+1 206 555 1234;phone-context=evil', 'forbidden'],
    ['tel:*21*123#', 'forbidden'],
    ['tel:', 'forbidden'],
    ['http://contoso.crm4.dynamics.com/main.aspx', 'forbidden'],
    ['https://evil.example/main.aspx', 'forbidden'],
    ['https://contoso.crm4.dynamics.com.evil.example/', 'forbidden'],
    ['https://user:pw@contoso.crm4.dynamics.com/', 'forbidden'],
    ['file:///etc/passwd', 'forbidden'],
    ['javascript:alert(1)', 'forbidden'],
    ['not a url', 'invalid_input'],
  ])('refuses %s', (url, code) => {
    expect(() => checkOpenUrl(url, org)).toThrow(expect.objectContaining({ code }));
  });
});
