import { describe, expect, it } from 'vitest';
import { checkOpenUrl } from '../../links/link-guard';
import { classifyLink, findJoinLink } from './join-links';

const safe = (url: string) =>
  `https://nam12.safelinks.protection.outlook.com/?url=${encodeURIComponent(url)}&data=05%7C02%7Cx&sdata=abc%3D&reserved=0`;

describe('join link normaliser', () => {
  it.each([
    [
      'https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0?context=%7b%7d',
      'teams',
    ],
    ['https://teams.microsoft.com/meet/24684712345?p=AbCdEf', 'teams'],
    ['https://teams.live.com/meet/9312345678', 'teams'],
    ['https://contoso.zoom.us/j/81234567890?pwd=abc', 'zoom'],
    ['https://zoom.us/j/123456789', 'zoom'],
    ['https://us02web.zoom.us/w/81234567890?tk=xyz', 'zoom'],
    ['https://zoom.us/my/janedoe', 'zoom'],
    ['https://contoso.zoomgov.com/j/1612345678', 'zoom'],
    ['https://zoom.com/j/123', 'zoom'],
    ['https://us02web.zoom.com/j/123?pwd=abc', 'zoom'],
    ['https://fabrikam.webex.com/meet/j.doe', 'webex'],
    ['https://fabrikam.webex.com/fabrikam/j.php?MTID=m1234', 'webex'],
    ['https://app.gong.io/call?id=123456', 'gong'],
    ['https://app.gong.io/e/c-share/?tkn=abc', 'gong'],
  ])('recognises %s as %s', (url, provider) => {
    expect(classifyLink(url)).toEqual({ url: new URL(url).toString(), provider });
  });

  it.each([
    [
      'Join: <https://contoso.zoom.us/j/81234567890?pwd=abc>.',
      'https://contoso.zoom.us/j/81234567890?pwd=abc',
    ],
    ['Zoom (https://zoom.us/j/123456789).', 'https://zoom.us/j/123456789'],
    [
      `<a href="${safe('https://teams.microsoft.com/meet/2468?p=Xyz')}">Join the meeting now</a>`,
      'https://teams.microsoft.com/meet/2468?p=Xyz',
    ],
    ['<p>Gong call: &lt;https://app.gong.io/call?id=42&gt;</p>', 'https://app.gong.io/call?id=42'],
    [
      'Dial-in only https://example.com/agenda then https://fabrikam.webex.com/meet/j.doe, thanks!',
      'https://fabrikam.webex.com/meet/j.doe',
    ],
    ['https://zoom.us/j/1?pwd=a&amp;uname=b', 'https://zoom.us/j/1?pwd=a&uname=b'],
  ])('finds the join link in %j', (text, url) => {
    expect(findJoinLink(text)?.url).toBe(url);
  });

  it.each([
    ['Conference room 4'],
    ['https://zoom.us/pricing'],
    ['http://zoom.us/j/123'],
    ['https://teams.microsoft.com/l/chat/0/0'],
    ['https://evil.example/j/123?zoom.us/j/1'],
    [''],
    [undefined],
  ])('finds nothing in %j', (text) => {
    expect(findJoinLink(text)).toBeUndefined();
  });

  // Schemes and hosts are case-insensitive (RFC 3986, sections 3.1 and 3.2.2:
  // https://www.rfc-editor.org/rfc/rfc3986#section-3.1); the path is kept as written.
  it.each([
    ['HTTPS://ZOOM.US/J/123?pwd=x', 'https://zoom.us/J/123?pwd=x', 'zoom'],
    ['Https://Contoso.Zoom.Com/j/81234567890', 'https://contoso.zoom.com/j/81234567890', 'zoom'],
    [
      'HTTPS://TEAMS.MICROSOFT.COM/L/MEETUP-JOIN/19%3ameeting_abc%40thread.v2/0',
      'https://teams.microsoft.com/L/MEETUP-JOIN/19%3ameeting_abc%40thread.v2/0',
      'teams',
    ],
    ['https://FABRIKAM.WEBEX.COM/meet/j.doe', 'https://fabrikam.webex.com/meet/j.doe', 'webex'],
  ])('matches %s case-insensitively', (text, url, provider) => {
    expect(classifyLink(text)).toEqual({ url, provider });
    expect(findJoinLink(`Join: ${text}`)).toEqual({ url, provider });
  });

  // Only a link that is itself https counts: an https URL inside a javascript:, data: or http:
  // link is part of that link, not a meeting to join.
  it.each([
    ['javascript:alert(1)//https://zoom.us/j/1'],
    ['JavaScript:alert(1)//https://zoom.us/j/1'],
    ['<a href="javascript:alert(1)//https://zoom.us/j/1">Join</a>'],
    ['data:text/html,https://teams.microsoft.com/meet/123'],
    ["data:text/html,<script>location='https://teams.microsoft.com/meet/123'</script>"],
    ['http://zoom.us/j/1'],
    ['HTTP://ZOOM.US/J/1'],
    ['http://evil.example/?next=https://zoom.us/j/1'],
    ['vbscript:https://zoom.us/j/1'],
    ["<a href='data:text/html,<b>x</b>https://zoom.us/j/1'>Join</a>"],
  ])('finds no Join link in %j', (text) => {
    expect(findJoinLink(text)).toBeUndefined();
  });

  it.each([
    [
      '<span style="font-family: Arial; color:#6264A7">https://zoom.us/j/1</span>',
      'https://zoom.us/j/1',
    ],
    [
      '<a href="javascript:void(0)">menu</a> <a href="https://teams.microsoft.com/meet/1">Join</a>',
      'https://teams.microsoft.com/meet/1',
    ],
    ['Agenda: https://contoso.example/doc.  Join: https://zoom.us/j/2', 'https://zoom.us/j/2'],
  ])('still finds the https link beside other schemes in %j', (text, url) => {
    expect(findJoinLink(text)?.url).toBe(url);
  });

  it('recognises only links that the link guard lets Join open', () => {
    const recognised = [
      'https://zoom.com/j/123',
      'https://us02web.zoom.com/j/123',
      'https://contoso.zoom.us/j/1',
      'https://contoso.zoomgov.com/j/1',
      'https://teams.live.com/meet/1',
      'https://fabrikam.webex.com/meet/x',
      'https://app.gong.io/call?id=1',
    ];
    for (const url of recognised) {
      const link = classifyLink(url);
      expect(link).toBeDefined();
      expect(checkOpenUrl(link?.url ?? '', []).toString()).toBe(link?.url);
    }
  });
});
