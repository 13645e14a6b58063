import { randomUUID } from 'node:crypto';
import { WORKSTATION_CLIENT_ID } from '../../src-shared/demo-tenant';
import type { SampleUser } from '../data/sample-users';
import type { ConfidentialApp } from './app-registrations';
import type { ResourceScope } from './scopes';
import type { SigningKeys } from './signing-keys';

/** Access tokens live 60-90 minutes at Entra; the stand-in uses the middle of the range. */
export const ACCESS_TOKEN_SECONDS = 3599;

/** Mints access tokens shaped like Entra's (v1 for Microsoft APIs, v2 for our own API) and ID tokens. */
export class TokenIssuer {
  constructor(
    private readonly keys: SigningKeys,
    private readonly origin: string,
  ) {}

  /** The v2 issuer of a tenant: `https://<host>/<tid>/v2.0`. */
  issuer(tenantId: string): string {
    return `${this.origin}/${tenantId}/v2.0`;
  }

  accessToken(
    user: SampleUser,
    resource: ResourceScope,
    permissions: readonly string[],
    clientId: string = WORKSTATION_CLIENT_ID,
    lifetimeSec = ACCESS_TOKEN_SECONDS,
    amr: readonly string[] = ['pwd'],
  ): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const common = {
      aud: resource.audience,
      iat: now,
      nbf: now,
      exp: now + lifetimeSec,
      tid: user.tenantId,
      oid: user.oid,
      sub: `${user.oid}-${clientId}`.slice(0, 43),
      name: user.displayName,
      scp: permissions.join(' '),
      uti: randomUUID(),
      ...(user.groups.length ? { groups: [...user.groups] } : {}),
    };
    if (resource.tokenVersion === '2.0') {
      return this.keys.sign({
        ...common,
        ver: '2.0',
        iss: this.issuer(user.tenantId),
        azp: clientId,
        azpacr: '0',
        preferred_username: user.upn,
        ...(user.roles.length ? { roles: [...user.roles] } : {}),
      });
    }
    return this.keys.sign({
      ...common,
      ver: '1.0',
      iss: `${this.origin}/${user.tenantId}/`,
      appid: clientId,
      appidacr: '0',
      upn: user.upn,
      unique_name: user.upn,
      amr: [...amr],
      idp: `${this.origin}/${user.tenantId}/`,
    });
  }

  /**
   * An app-only token (client credentials): the service principal is `oid` and `sub`, `idtyp` is
   * `app`, no `scp`, the granted application permissions as `roles` when there are any, and
   * `appidacr` 1 for a secret or 2 for a certificate
   * (https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference).
   */
  appAccessToken(
    app: ConfidentialApp,
    resource: ResourceScope,
    roles: readonly string[],
    appidacr: '1' | '2',
    lifetimeSec = ACCESS_TOKEN_SECONDS,
  ): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const common = {
      aud: resource.audience,
      iat: now,
      nbf: now,
      exp: now + lifetimeSec,
      tid: app.tenantId,
      oid: app.servicePrincipalId,
      sub: app.servicePrincipalId,
      idtyp: 'app',
      uti: randomUUID(),
      ...(roles.length ? { roles: [...roles] } : {}),
    };
    if (resource.tokenVersion === '2.0')
      return this.keys.sign({
        ...common,
        ver: '2.0',
        iss: this.issuer(app.tenantId),
        azp: app.clientId,
        azpacr: appidacr,
      });
    return this.keys.sign({
      ...common,
      ver: '1.0',
      iss: `${this.origin}/${app.tenantId}/`,
      appid: app.clientId,
      appidacr,
      idp: `${this.origin}/${app.tenantId}/`,
    });
  }

  idToken(user: SampleUser, clientId: string, nonce: string | undefined): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return this.keys.sign({
      ver: '2.0',
      iss: this.issuer(user.tenantId),
      aud: clientId,
      iat: now,
      nbf: now,
      exp: now + 3600,
      sub: `${user.oid}-${clientId}`.slice(0, 43),
      oid: user.oid,
      tid: user.tenantId,
      preferred_username: user.upn,
      name: user.displayName,
      ...(nonce ? { nonce } : {}),
    });
  }

  /** `client_info`: base64url JSON {uid, utid}; MSAL builds the home account id from it (https://github.com/AzureAD/microsoft-authentication-library-for-js/blob/dev/lib/msal-common/src/account/ClientInfo.ts). */
  clientInfo(user: SampleUser): string {
    return Buffer.from(JSON.stringify({ uid: user.oid, utid: user.tenantId })).toString(
      'base64url',
    );
  }
}
