import { integrationCatalog } from '../../src-shared/integrations/catalog';
import type { ConfigSource } from './config-source';

/** Each document field and the variable that sets it in development (README, "Configuration"). */
const variables: Record<string, string> = {
  authority: 'WORKSTATION_AUTHORITY',
  knownAuthorities: 'WORKSTATION_KNOWN_AUTHORITIES',
  protocolMode: 'WORKSTATION_PROTOCOL_MODE',
  clientId: 'WORKSTATION_CLIENT_ID',
  'tokenStore.url': 'WORKSTATION_TOKENSTORE_URL',
  'tokenStore.scope': 'WORKSTATION_TOKENSTORE_SCOPE',
  graphBaseUrl: 'WORKSTATION_GRAPH_URL',
  extraCaPath: 'WORKSTATION_EXTRA_CA',
  extraOrgOrigins: 'WORKSTATION_EXTRA_ORG_ORIGINS',
  logLevel: 'WORKSTATION_LOG_LEVEL',
  'updates.feedUrl': 'WORKSTATION_UPDATE_FEED_URL',
};
const lists = new Set(['knownAuthorities', 'extraOrgOrigins']);

const integrationPrefix = (id: string) => `WORKSTATION_${id.toUpperCase().replace(/-/g, '_')}_`;

/**
 * `WORKSTATION_<ID>_<NAME>=value` for each integration Workstation offers becomes
 * `{ <id>: { <nameInCamelCase>: value } }`: no layer here knows what an integration needs.
 */
export function integrationSettingsFromEnv(
  env: NodeJS.ProcessEnv,
): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const { id } of integrationCatalog) {
    const prefix = integrationPrefix(id);
    for (const [name, value] of Object.entries(env)) {
      if (!name.startsWith(prefix) || value === undefined || name.length === prefix.length)
        continue;
      const key = name
        .slice(prefix.length)
        .toLowerCase()
        .replace(/_([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
      (out[id] ??= {})[key] = value;
    }
  }
  return out;
}

/** The `WORKSTATION_*` variables as a configuration source, the lowest: for development and the web host. */
export function envSource(env: NodeJS.ProcessEnv): ConfigSource {
  const document: Record<string, unknown> = {};
  for (const [field, variable] of Object.entries(variables)) {
    const raw = env[variable];
    if (raw === undefined || raw === '') continue;
    const value = lists.has(field) ? raw.split(',').filter(Boolean) : raw;
    const [head, tail] = field.split('.') as [string, string | undefined];
    if (tail === undefined) document[head] = value;
    else ((document[head] ??= {}) as Record<string, unknown>)[tail] = value;
  }
  const integrations = integrationSettingsFromEnv(env);
  if (Object.keys(integrations).length > 0) document.integrations = integrations;
  return {
    origin: 'the environment',
    managed: false,
    document,
    fieldName: (path) => {
      const [head, id, name] = path;
      if (head === 'integrations' && id !== undefined && name !== undefined)
        return `${integrationPrefix(id)}${name.replace(/[A-Z]/g, (letter) => `_${letter}`).toUpperCase()}`;
      return variables[path.slice(0, 2).join('.')] ?? variables[head ?? ''] ?? path.join('.');
    },
  };
}
