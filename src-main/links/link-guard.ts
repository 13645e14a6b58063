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

/** One plain address (RFC 6068 allows lists and headers; the launcher never sends them). */
const MAIL_ADDRESS =
  /^[A-Za-z0-9.!#$%&'*+/=^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;
/** A global or local number with visual separators only (RFC 3966), no parameters or dial codes. */
const PHONE_NUMBER = /^\+?[0-9](?:[0-9().-]{1,30})$/;

/**
 * A `mailto:` with one address and nothing else, or a `tel:` with only a number: what the Email and
 * Call actions hand to the user's mail or phone app (https://www.rfc-editor.org/rfc/rfc6068,
 * https://www.rfc-editor.org/rfc/rfc3966). Headers such as `?bcc=` or `;phone-context=` are refused.
 */
function isPlainMailOrPhone(url: URL): boolean {
  if (url.search || url.hash) return false;
  if (url.protocol === 'mailto:') return MAIL_ADDRESS.test(url.pathname);
  if (url.protocol === 'tel:') return PHONE_NUMBER.test(url.pathname);
  return false;
}

/**
 * Main opens only `https` links on the org's host or a meeting service's: a result or meeting
 * cannot make Workstation open `file:`, `javascript:` or an arbitrary site. A plain `mailto:` or
 * `tel:` passes too (the Email and Call actions).
 */
export function checkOpenUrl(raw: string, orgHosts: readonly string[]): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw workstationError('invalid_input', 'That link is not a valid address.');
  }
  if (isPlainMailOrPhone(url)) return url;
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
