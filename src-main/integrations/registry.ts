import { dynamicsDescriptor } from './dynamics/dynamics-descriptor';
import type { IntegrationDescriptor } from './integration-descriptor';
import { outlookDescriptor } from './outlook/outlook-descriptor';
import { salesforceDescriptor } from './salesforce/salesforce-descriptor';

/**
 * Every integration main runs, in the order of src-shared/integrations/catalog.ts. Adding one is a
 * folder beside this file and a line here (ARCHITECTURE.md, "Add an integration").
 */
export const integrationRegistry: readonly IntegrationDescriptor[] = [
  dynamicsDescriptor,
  salesforceDescriptor,
  outlookDescriptor,
];
