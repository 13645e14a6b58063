import { describe, expect, it } from 'vitest';
import { classifyLink, findJoinLink } from './join-links';

const safe = (url: string) => `https://nam12.safelinks.protection.outlook.com/?url=${encodeURIComponent(url)}&data=05%7C02%7Cx&sdata=abc%3D&reserved=0`;

describe('join link normaliser', () => {
  it.each([
    ['https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0?context=%7b%7d', 'teams'],
    ['https://teams.microsoft.com/meet/24684712345?p=AbCdEf', 'teams'],
    ['https://teams.live.com/meet/9312345678', 'teams'],
    ['https://contoso.zoom.us/j/81234567890?pwd=abc', 'zoom'],
    ['https://zoom.us/j/123456789', 'zoom'],
    ['https://us02web.zoom.us/w/81234567890?tk=xyz', 'zoom'],
    ['https://zoom.us/my/janedoe', 'zoom'],
    ['https://contoso.zoomgov.com/j/1612345678', 'zoom'],
    ['https://fabrikam.webex.com/meet/j.doe', 'webex'],
    ['https://fabrikam.webex.com/fabrikam/j.php?MTID=m1234', 'webex'],
    ['https://app.gong.io/call?id=123456', 'gong'],
    ['https://app.gong.io/e/c-share/?tkn=abc', 'gong'],
  ])('recognises %s as %s', (url, provider) => {
    expect(classifyLink(url)).toEqual({ url: new URL(url).toString(), provider });
  });

  it.each([
    ['Join: <https://contoso.zoom.us/j/81234567890?pwd=abc>.', 'https://contoso.zoom.us/j/81234567890?pwd=abc'],
    ['Zoom (https://zoom.us/j/123456789).', 'https://zoom.us/j/123456789'],
    [`<a href="${safe('https://teams.microsoft.com/meet/2468?p=Xyz')}">Join the meeting now</a>`, 'https://teams.microsoft.com/meet/2468?p=Xyz'],
    ['<p>Gong call: &lt;https://app.gong.io/call?id=42&gt;</p>', 'https://app.gong.io/call?id=42'],
    ['Dial-in only https://example.com/agenda then https://fabrikam.webex.com/meet/j.doe, thanks!', 'https://fabrikam.webex.com/meet/j.doe'],
    ['https://zoom.us/j/1?pwd=a&amp;uname=b', 'https://zoom.us/j/1?pwd=a&uname=b'],
  ])('finds the join link in %j', (text, url) => {
    expect(findJoinLink(text)?.url).toBe(url);
  });

  it.each([['Conference room 4'], ['https://zoom.us/pricing'], ['http://zoom.us/j/123'], ['https://teams.microsoft.com/l/chat/0/0'], ['https://evil.example/j/123?zoom.us/j/1'], [''], [undefined]])('finds nothing in %j', (text) => {
    expect(findJoinLink(text)).toBeUndefined();
  });
});
