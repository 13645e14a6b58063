/**
 * Public identifiers of the embedded demo tenant ("Contoso (sample)") served by the sandbox.
 * These are app registration ids, not secrets: a real tenant configures its own.
 */
export const DEMO_TENANT_ID = '6f1c3a52-8e0b-4d7e-9a3f-2b5c8d1e4f70';
/** A second tenant, so cross-tenant isolation can be tested. */
export const DEMO_OTHER_TENANT_ID = 'b3d9e8a1-4c27-4f6b-8e15-7a0c2d9f3b64';
export const DEMO_TENANT_DOMAIN = 'contoso-sample.onmicrosoft.com';

/** The Workstation desktop app's public client registration (loopback redirect, PKCE). */
export const WORKSTATION_CLIENT_ID = '0c7a4f2e-5b19-4d83-a6e0-91f2c8b3d5a7';

/**
 * The token store's admin console registration (a public client doing authorization code + PKCE at
 * the store's server; redirect URI `<store origin>/admin/auth/callback`). It asks for the store's own
 * scope, so its tokens carry the store's app roles (`Workstation.Admin`).
 */
export const ADMIN_CONSOLE_CLIENT_ID = '7d3e1b90-2c4a-4f6e-8b15-a9c0d2e4f613';

/** The token store's API registration; access tokens for the store carry this as `aud` (v2 tokens). */
export const TOKENSTORE_APP_ID = 'e4b2c9d1-7a35-4f08-b6c2-3d8e1f5a9c40';
export const TOKENSTORE_SCOPE = `api://${TOKENSTORE_APP_ID}/access_as_user`;
/** The `scp` value the store requires on user tokens. */
export const TOKENSTORE_SCOPE_NAME = 'access_as_user';
/** The app role that grants the store's admin routes. */
export const TOKENSTORE_ADMIN_ROLE = 'Workstation.Admin';

/** Graph's resource; its delegated calendar permission is requested as `${GRAPH_RESOURCE}/Calendars.Read`. */
export const GRAPH_RESOURCE = 'https://graph.microsoft.com';

/**
 * The demo Salesforce connected app's consumer key (a public desktop client: loopback callback,
 * PKCE, no consumer secret). The sandbox's Salesforce stand-in knows only this client.
 */
export const SALESFORCE_DEMO_CLIENT_ID =
  '3MVG9Workstation.Demo.ConnectedApp.LoopbackPKCE.PublicClient';

/**
 * The demo tenant's app registration for directory sync: a confidential client (client secret or
 * certificate) that the token store uses, with the client-credentials grant, to read each org's
 * systemusers and teams as an application user. Its secret and certificate are the sandbox's own,
 * made at each start (never in the repo).
 */
export const DIRECTORY_SYNC_CLIENT_ID = '7d1e5c03-2b8a-4f6e-9c14-5a0b3e8d2f61';
