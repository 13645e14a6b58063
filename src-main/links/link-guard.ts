import { workstationError } from '../../src-shared/errors';

/** Meeting services whose pages Join may open, besides the user's Dynamics org. */
export const meetingHosts: readonly RegExp[] = [
  /^teams\.microsoft\.com$/,
  /^teams\.live\.com$/,
  /(^|\.)zoom\.us$/,
  /(^|\.)zoom\.com$/,
  /(^|\.)zoomgov\.com$/,
  /(^|\.)webex\.com$/,
  /(^|\.)gong\.io$/,
  /^outlook\.office365\.com$/,
  /^outlook\.office\.com$/,
];

/**
 * Main opens only `https` links on the org's host or a meeting service's: a result or meeting
 * cannot make Workstation open `file:`, `javascript:` or an arbitrary site.
 */
export function checkOpenUrl(raw: string, orgHosts: readonly string[]): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw workstationError('invalid_input', 'That link is not a valid address.');
  }
  const allowed =
    url.protocol === 'https:' &&
    !url.username &&
    !url.password &&
    (orgHosts.includes(url.host) || meetingHosts.some((pattern) => pattern.test(url.hostname)));
  if (!allowed)
    throw workstationError(
      'forbidden',
      `Workstation opens only links to your Dynamics org or a meeting service, not ${url.protocol === 'https:' ? url.hostname : url.protocol}.`,
    );
  return url;
}
