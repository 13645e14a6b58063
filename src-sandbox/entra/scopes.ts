import { TOKENSTORE_APP_ID } from '../../src-shared/demo-tenant';

const oidcScopes = new Set(['openid', 'profile', 'email', 'offline_access']);

/** A resource a token can be for, and the permission names it offers. */
export interface ResourceScope {
  /** How the fault knobs name it. */
  readonly name: 'dataverse' | 'graph' | 'tokenstore';
  /** `aud` of tokens for it. */
  readonly audience: string;
  /** The prefix scopes are written with (`https://graph.microsoft.com`, `api://<id>`, the org URL). */
  readonly prefix: string;
  readonly permissions: readonly string[];
  /** v2 tokens (our own API) or v1 (Microsoft's APIs; the resource picks the version: https://learn.microsoft.com/entra/identity-platform/access-tokens). */
  readonly tokenVersion: '1.0' | '2.0';
}

/**
 * The resources of the sandbox: each Dataverse org (its URL is its audience, as Entra issues
 * Dataverse tokens), Graph and the token store.
 */
export function sandboxResources(orgUrls: readonly string[]): readonly ResourceScope[] {
  return [
    ...orgUrls.map((orgUrl): ResourceScope => ({
      name: 'dataverse',
      audience: orgUrl,
      prefix: orgUrl,
      permissions: ['user_impersonation'],
      tokenVersion: '1.0',
    })),
    {
      name: 'graph',
      audience: 'https://graph.microsoft.com',
      prefix: 'https://graph.microsoft.com',
      permissions: ['Calendars.Read', 'Calendars.ReadWrite', 'User.Read'],
      tokenVersion: '1.0',
    },
    {
      name: 'tokenstore',
      audience: TOKENSTORE_APP_ID,
      prefix: `api://${TOKENSTORE_APP_ID}`,
      permissions: ['access_as_user'],
      tokenVersion: '2.0',
    },
  ];
}

/** A parsed `scope` parameter: OIDC scopes apart, resource permissions grouped by resource. */
export interface ParsedScopes {
  readonly oidc: ReadonlySet<string>;
  readonly byResource: ReadonlyMap<ResourceScope, readonly string[]>;
  readonly unknown: readonly string[];
}

/** Splits a space-separated scope string; `/.default` grants every permission of its resource. */
export function parseScopes(scope: string, resources: readonly ResourceScope[]): ParsedScopes {
  const oidc = new Set<string>();
  const byResource = new Map<ResourceScope, string[]>();
  const unknown: string[] = [];
  for (const item of scope.split(/\s+/).filter(Boolean)) {
    if (oidcScopes.has(item)) {
      oidc.add(item);
      continue;
    }
    const resource = resources.find((candidate) =>
      item.toLowerCase().startsWith(`${candidate.prefix.toLowerCase()}/`),
    );
    const permission = resource ? item.slice(resource.prefix.length + 1) : '';
    if (!resource || (permission !== '.default' && !resource.permissions.includes(permission))) {
      unknown.push(item);
      continue;
    }
    const granted = byResource.get(resource) ?? [];
    for (const name of permission === '.default' ? resource.permissions : [permission])
      if (!granted.includes(name)) granted.push(name);
    byResource.set(resource, granted);
  }
  return { oidc, byResource, unknown };
}
