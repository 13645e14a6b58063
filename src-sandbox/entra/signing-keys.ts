import { randomUUID } from 'node:crypto';
import {
  exportJWK,
  generateKeyPair,
  SignJWT,
  type CryptoKey,
  type JWK,
  type JWTPayload,
} from 'jose';

/** The stand-in's RS256 signing key and its public JWKS. */
export interface SigningKeys {
  readonly kid: string;
  readonly jwks: { readonly keys: readonly JWK[] };
  sign(payload: JWTPayload): Promise<string>;
  readonly publicKey: CryptoKey;
}

/** Generates a fresh key pair (per sandbox start; tokens from an earlier start stop verifying, as after a key rollover). */
export async function createSigningKeys(): Promise<SigningKeys> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = randomUUID().replaceAll('-', '').slice(0, 27);
  const jwk = { ...(await exportJWK(publicKey)), kid, use: 'sig', alg: 'RS256', kty: 'RSA' };
  return {
    kid,
    jwks: { keys: [jwk] },
    publicKey,
    sign: (payload) =>
      new SignJWT(payload).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid }).sign(privateKey),
  };
}
