import { z } from 'zod';

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
        message: 'Enter only the part before ".dynamics.com", for example org31ec4237.crm4, not a full address.',
      });
      return;
    }
    if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.crm(?:[2-9]|1[0-9]|2[01])?)?$/.test(value)) {
      context.addIssue({
        code: 'custom',
        message: 'That is not a Dynamics 365 org name. It looks like org31ec4237.crm4 (letters, digits and dashes, then an optional region such as .crm4).',
      });
    }
  });

/** The org URL (`https://<org>.<region>.dynamics.com`) for a validated subdomain. */
export function dynamicsOrgUrl(subdomain: string): string {
  const parsed = dynamicsOrgSubdomainSchema.parse(subdomain);
  return `https://${parsed.includes('.') ? parsed : `${parsed}.crm`}.dynamics.com`;
}
