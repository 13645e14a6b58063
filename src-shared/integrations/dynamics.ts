import { z } from 'zod';
import {
  checkDynamicsOrgUrl,
  dynamicsOrgSubdomainSchema,
  dynamicsOrgUrl,
} from '../domain/dynamics-org';
import { connectionIdFromHost } from './connection-id';
import type {
  AdminSettings,
  ConnectionTarget,
  IntegrationInfo,
  TargetPolicy,
} from './integration-info';

const orgUrlSchema = (policy: TargetPolicy) =>
  z
    .string()
    .max(300)
    .transform((value, context) => {
      const check = checkDynamicsOrgUrl(value, policy.extraOrigins);
      if (check.ok) return check.origin;
      context.addIssue({
        code: 'custom',
        message: `The org URL ${check.shown} is not accepted: ${check.reason}.`,
      });
      return z.NEVER;
    });

const labelSchema = z.string().trim().min(1).max(40);

/** The admin pins one org (`orgUrl`, the first release's setting) or several, each with a label. */
const settingsSchema = (policy: TargetPolicy) =>
  z
    .object({
      orgUrl: orgUrlSchema(policy).optional(),
      orgs: z
        .array(z.object({ url: orgUrlSchema(policy), label: labelSchema.optional() }).strict())
        .max(20)
        .optional(),
    })
    .strict();

type DynamicsSettings = z.infer<ReturnType<typeof settingsSchema>>;

/** `https://contoso.crm4.dynamics.com` -> connection `contoso-crm4`, label `contoso`. */
function targetOf(origin: string, label?: string): ConnectionTarget {
  const host = new URL(origin).host;
  return {
    connectionId: connectionIdFromHost(host, '.dynamics.com'),
    label: label ?? host.split('.')[0] ?? host,
    origin,
  };
}

/**
 * Dynamics 365: one connection per org. The admin may pin orgs; otherwise the user types the org's
 * subdomain (`org31ec4237.crm4`), never a free URL.
 */
export const dynamicsInfo: IntegrationInfo = {
  id: 'dynamics',
  name: 'Dynamics 365',
  description:
    'Search leads, contacts, accounts and opportunities; see and complete your CRM tasks.',
  capabilities: ['search', 'tasks'],
  multipleConnections: true,
  connectFields: [
    {
      name: 'org',
      label: 'Dynamics 365 org',
      kind: 'text',
      placeholder: 'org31ec4237.crm4',
      help: 'The part of your Dynamics address before .dynamics.com.',
    },
  ],
  adminSettingsSchema: settingsSchema,
  pinnedTargets(settings: AdminSettings) {
    const { orgUrl, orgs } = settings as DynamicsSettings;
    const targets = [
      ...(orgUrl ? [targetOf(orgUrl)] : []),
      ...(orgs ?? []).map((org) => targetOf(org.url, org.label)),
    ];
    return targets.filter(
      (target, index) =>
        targets.findIndex((other) => other.connectionId === target.connectionId) === index,
    );
  },
  targetFromInput(input) {
    const parsed = dynamicsOrgSubdomainSchema.safeParse(input.org ?? '');
    if (!parsed.success)
      return {
        problem:
          parsed.error.issues[0]?.message ??
          'Enter your Dynamics 365 org, for example org31ec4237.crm4.',
      };
    return targetOf(dynamicsOrgUrl(parsed.data));
  },
};
