import { z } from 'zod';
import { dynamicsInfo } from './dynamics';
import type {
  AdminSettings,
  ConnectionTarget,
  IntegrationInfo,
  TargetPolicy,
} from './integration-info';
import { outlookInfo } from './outlook';
import { salesforceInfo } from './salesforce';

/**
 * Every integration Workstation offers, in the order Settings shows them. Adding one: a file beside
 * this one, a line here, and its folder in src-main/integrations (ARCHITECTURE.md).
 */
export const integrationCatalog: readonly IntegrationInfo[] = [
  dynamicsInfo,
  salesforceInfo,
  outlookInfo,
];

export const integrationIdSchema = z
  .string()
  .refine(
    (id) => integrationCatalog.some((info) => info.id === id),
    'not an integration Workstation offers',
  );
export type IntegrationId = string;

/** The catalog entry of `id`, or undefined for an id Workstation does not offer. */
export function integrationInfo(id: string): IntegrationInfo | undefined {
  return integrationCatalog.find((info) => info.id === id);
}

/**
 * The target a Connect asks for. When the admin pinned targets, the user picks one of them
 * (`input.target` = its connection id) and nothing else is allowed; otherwise the form's fields.
 */
export function resolveTarget(
  info: IntegrationInfo,
  input: Readonly<Record<string, string>>,
  settings: AdminSettings,
  policy: TargetPolicy,
): ConnectionTarget | { readonly problem: string } {
  const pinned = info.pinnedTargets(settings);
  if (pinned.length > 0) {
    const chosen =
      pinned.length === 1 && input.target === undefined
        ? pinned[0]
        : pinned.find((target) => target.connectionId === input.target);
    return (
      chosen ?? { problem: `Choose one of the ${info.name} connections your organisation set up.` }
    );
  }
  return info.targetFromInput(input, settings, policy);
}
