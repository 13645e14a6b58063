import { z } from 'zod';

// One org label, then the region part: `crm` (North America), `crm2`…`crm21` (other regions).
const ORG_LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const REGION = 'crm(?:[2-9]|1[0-9]|2[01])?';

/** A Dynamics 365 org host: `<org>.crm.dynamics.com`, `<org>.crm4.dynamics.com`, ... (lower case). */
export const dynamicsOrgHostPattern = new RegExp(`^${ORG_LABEL}\\.${REGION}\\.dynamics\\.com$`);
const orgSubdomainPattern = new RegExp(`^${ORG_LABEL}(?:\\.${REGION})?$`);

/**
 * A Dynamics 365 org as the user types it: the subdomain before `.dynamics.com`, e.g.
 * `org31ec4237.crm4` (the region part `crm`, `crm2`…`crm21` is optional and defaults to `crm`).
 * Never a free URL: the token we request is scoped to exactly this host.
 * https://learn.microsoft.com/power-apps/developer/data-platform/webapi/compose-http-requests-handle-errors
 */
export const dynamicsOrgSubdomainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .superRefine((value, context) => {
    if (/[:/]/.test(value) || value.endsWith('dynamics.com')) {
      context.addIssue({
        code: 'custom',
        message:
          'Enter only the part before ".dynamics.com", for example org31ec4237.crm4, not a full address.',
      });
      return;
    }
    if (!orgSubdomainPattern.test(value)) {
      context.addIssue({
        code: 'custom',
        message:
          'That is not a Dynamics 365 org name. It looks like org31ec4237.crm4 (letters, digits and dashes, then an optional region such as .crm4).',
      });
    }
  });

/** The org URL (`https://<org>.<region>.dynamics.com`) for a validated subdomain. */
export function dynamicsOrgUrl(subdomain: string): string {
  const parsed = dynamicsOrgSubdomainSchema.parse(subdomain);
  return `https://${parsed.includes('.') ? parsed : `${parsed}.crm`}.dynamics.com`;
}

/** Whether an org address may be used, and if so its bare origin; if not, why, in the user's words. */
export type OrgUrlCheck =
  | { readonly ok: true; readonly origin: string }
  | { readonly ok: false; readonly reason: string; readonly shown: string };

/**
 * Checks an org address that came from elsewhere (the token store's settings) before it becomes a
 * token audience and an API base: https only, no user name or password (RFC 3986 section 3.2.1
 * deprecates them in URLs), no path, query or fragment, and a Dynamics 365 org host on the default
 * port, or exactly one of `extraOrigins` (the demo's sandbox org). `shown` is safe to display and
 * log: the scheme and host only, never the credentials or the rest.
 * https://www.rfc-editor.org/rfc/rfc3986#section-3.2.1
 */
export function checkDynamicsOrgUrl(
  value: string,
  extraOrigins: readonly string[] = [],
): OrgUrlCheck {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { ok: false, reason: 'it is not a web address', shown: 'an unreadable address' };
  }
  const rest =
    (url.pathname !== '/' && url.pathname !== '') ||
    url.search !== '' ||
    url.hash !== '' ||
    /[?#]/.test(value);
  const shown = `${url.protocol}//${url.host}${rest ? '/…' : ''}`;
  if (url.protocol !== 'https:') return { ok: false, reason: 'it does not use https', shown };
  if (url.username !== '' || url.password !== '')
    return { ok: false, reason: 'it carries a user name or password', shown };
  if (rest) return { ok: false, reason: 'it has a path, query or fragment', shown };
  if (extraOrigins.some((origin) => httpsOrigin(origin) === url.origin))
    return { ok: true, origin: url.origin };
  if (url.port !== '' || !dynamicsOrgHostPattern.test(url.hostname))
    return { ok: false, reason: 'it is not a Dynamics 365 org (<org>.crm<N>.dynamics.com)', shown };
  return { ok: true, origin: url.origin };
}

const httpsOrigin = (value: string): string | undefined => {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' ? url.origin : undefined;
  } catch {
    return undefined;
  }
};
