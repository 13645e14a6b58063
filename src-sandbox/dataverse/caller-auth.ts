import { jwtVerify, type CryptoKey } from 'jose';

/** The user a Dataverse or Graph request comes from, after its bearer token checked out. */
export interface VerifiedCaller {
  readonly oid: string;
  readonly tid: string;
  readonly scopes: readonly string[];
  /** The client the token was issued to (`appid`). */
  readonly appId: string;
  /** An app-only token (client credentials): `idtyp` app, no `scp`. */
  readonly appOnly: boolean;
}

/**
 * Verifies a bearer token as a resource server does: our key, RS256, the resource's audience, the
 * v1 issuer of the token's tenant. Answers undefined for anything else (the caller answers 401).
 */
export async function verifyBearer(
  authorization: string | undefined,
  key: CryptoKey,
  audience: string,
  entraOrigin: string,
): Promise<VerifiedCaller | undefined> {
  if (!authorization?.startsWith('Bearer ')) return undefined;
  try {
    const { payload } = await jwtVerify(authorization.slice(7), key, {
      algorithms: ['RS256'],
      audience,
      clockTolerance: 30,
    });
    const tid = typeof payload.tid === 'string' ? payload.tid : '';
    if (payload.iss !== `${entraOrigin}/${tid}/` || typeof payload.oid !== 'string')
      return undefined;
    return {
      oid: payload.oid,
      tid,
      scopes: typeof payload.scp === 'string' ? payload.scp.split(' ') : [],
      appId: typeof payload.appid === 'string' ? payload.appid : '',
      appOnly: payload.idtyp === 'app' && payload.scp === undefined,
    };
  } catch {
    return undefined;
  }
}
