import { z } from 'zod';
import { connectionIdFromHost, httpsOriginOf } from './connection-id';
import type {
  AdminSettings,
  ConnectionTarget,
  IntegrationInfo,
  TargetPolicy,
} from './integration-info';

/**
 * Salesforce's login hosts: production, sandbox, or the org's My Domain
 * (`<name>.my.salesforce.com`, a sandbox's `<name>--<sandbox>.sandbox.my.salesforce.com`).
 * https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_endpoints.htm
 */
export const SALESFORCE_PRODUCTION_LOGIN = 'https://login.salesforce.com';
export const SALESFORCE_SANDBOX_LOGIN = 'https://test.salesforce.com';
const MY_DOMAIN =
  /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:--[a-z0-9]{1,40}\.sandbox)?\.my\.salesforce\.com$/;

/** Whether `origin` is a Salesforce login host, or one of the policy's extra origins. */
function loginOrigin(value: string, policy: TargetPolicy): string | undefined {
  const url = httpsOriginOf(value);
  if (!url) return undefined;
  if (policy.extraOrigins.some((origin) => httpsOriginOf(origin)?.origin === url.origin))
    return url.origin;
  if (url.port !== '') return undefined;
  return url.origin === SALESFORCE_PRODUCTION_LOGIN ||
    url.origin === SALESFORCE_SANDBOX_LOGIN ||
    MY_DOMAIN.test(url.hostname)
    ? url.origin
    : undefined;
}

const settingsSchema = (policy: TargetPolicy) =>
  z
    .object({
      environments: z
        .array(
          z
            .object({
              loginUrl: z
                .string()
                .max(300)
                .refine(
                  (value) => loginOrigin(value, policy) !== undefined,
                  'must be login.salesforce.com, test.salesforce.com or a My Domain (https)',
                ),
              label: z.string().trim().min(1).max(40),
            })
            .strict(),
        )
        .max(20)
        .optional(),
    })
    .strict();

type SalesforceSettings = z.infer<ReturnType<typeof settingsSchema>>;

function targetOf(origin: string, label: string): ConnectionTarget {
  const host = new URL(origin).host;
  const connectionId =
    origin === SALESFORCE_PRODUCTION_LOGIN
      ? 'production'
      : origin === SALESFORCE_SANDBOX_LOGIN
        ? 'sandbox'
        : connectionIdFromHost(label.toLowerCase() || host);
  return { connectionId, label, origin };
}

/**
 * Salesforce: one connection per environment (production, a sandbox, a My Domain). The admin may
 * pin environments with labels; otherwise the user picks production or sandbox, or types a My Domain.
 */
export const salesforceInfo: IntegrationInfo = {
  id: 'salesforce',
  name: 'Salesforce',
  description:
    'Search leads, contacts, accounts and opportunities in Salesforce; see and complete your tasks.',
  capabilities: ['search', 'tasks'],
  multipleConnections: true,
  connectFields: [
    {
      name: 'environment',
      label: 'Salesforce environment',
      kind: 'choice',
      choices: [
        { value: 'production', label: 'Production (login.salesforce.com)' },
        { value: 'sandbox', label: 'Sandbox (test.salesforce.com)' },
        { value: 'mydomain', label: 'My Domain' },
      ],
    },
    {
      name: 'myDomain',
      label: 'My Domain',
      kind: 'text',
      placeholder: 'acme.my.salesforce.com',
      help: "Only for My Domain: your org's address, without https://.",
    },
  ],
  adminSettingsSchema: settingsSchema,
  pinnedTargets(settings: AdminSettings) {
    const { environments } = settings as SalesforceSettings;
    return (environments ?? []).map((environment) =>
      targetOf(new URL(environment.loginUrl).origin, environment.label),
    );
  },
  targetFromInput(input, _settings, policy) {
    switch (input.environment) {
      case 'production':
        return targetOf(SALESFORCE_PRODUCTION_LOGIN, 'production');
      case 'sandbox':
        return targetOf(SALESFORCE_SANDBOX_LOGIN, 'sandbox');
      case 'mydomain': {
        const host = (input.myDomain ?? '')
          .trim()
          .toLowerCase()
          .replace(/^https:\/\//, '')
          .replace(/\/$/, '');
        const origin = loginOrigin(`https://${host}`, policy);
        if (!origin || !MY_DOMAIN.test(host))
          return { problem: 'Enter your My Domain, for example acme.my.salesforce.com.' };
        return targetOf(origin, host.split('.')[0] ?? host);
      }
      default:
        return { problem: 'Choose Production, Sandbox or My Domain.' };
    }
  },
};
