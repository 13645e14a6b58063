import {
  createHash,
  generateKeyPair,
  randomBytes,
  randomUUID,
  X509Certificate,
  type KeyObject,
} from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';
import { certificateSerial } from '../../src-dev-tls/certificate-serial';
import { DEMO_TENANT_ID, DIRECTORY_SYNC_CLIENT_ID } from '../../src-shared/demo-tenant';
import { DIRECTORY_SYNC_SERVICE_PRINCIPAL_ID } from '../data/directory-data';

const generateRsaKeyPair = promisify(generateKeyPair);

/** A client secret of an app registration: its id (what the portal lists) and its value (what a client sends). */
export interface ClientSecret {
  readonly keyId: string;
  readonly value: string;
  /** Epoch ms; a secret past it answers AADSTS7000222. */
  expiresAt: number;
}

/** A certificate credential: what the portal keeps of an uploaded certificate. */
export interface CertificateCredential {
  readonly keyId: string;
  readonly certPem: string;
  readonly publicKey: KeyObject;
  /** base64url SHA-1 of the DER: the assertion's `x5t` header. */
  readonly x5t: string;
  /** base64url SHA-256 of the DER: the assertion's `x5t#S256` header. */
  readonly x5tS256: string;
}

/**
 * A confidential client of a tenant: an app registration with credentials and its service principal
 * (whose object id is the `oid` of its app-only tokens). Application permissions are granted per
 * resource prefix; Dataverse has none to grant (its application users hold security roles instead:
 * https://learn.microsoft.com/power-platform/admin/manage-application-users).
 */
export interface ConfidentialApp {
  readonly clientId: string;
  readonly tenantId: string;
  readonly displayName: string;
  readonly servicePrincipalId: string;
  readonly secrets: ClientSecret[];
  readonly certificates: CertificateCredential[];
  /** Granted application permissions (the `roles` of app-only tokens), by resource prefix. */
  readonly appRoles: Readonly<Record<string, readonly string[]>>;
}

/** A certificate and its private key, as an admin would make one to upload its public half. */
export interface GeneratedCertificate {
  readonly certPem: string;
  readonly keyPem: string;
  /** Hex SHA-1 thumbprint, as the portal shows it (and MSAL's `thumbprint` takes). */
  readonly thumbprint: string;
  /** Hex SHA-256 thumbprint (MSAL's `thumbprintSha256`). */
  readonly thumbprintSha256: string;
}

/** A client secret value shaped like the portal's: 40 characters with `Q~` after the third. */
export function newSecretValue(): string {
  const body = randomBytes(30).toString('base64url').replace(/[-_]/g, '~').slice(0, 37);
  return `${body.slice(0, 3)}8Q~${body.slice(3, 37)}`;
}

/**
 * A self-signed RSA certificate (2048 bits, a year): the key pair from Node's crypto (native, fast
 * enough for every sandbox start), the certificate built and signed with node-forge like the local CA.
 */
export async function generateCertificate(commonName: string): Promise<GeneratedCertificate> {
  // Off the main thread (libuv's pool), so the sandbox's other start-up work goes on meanwhile.
  const { privateKey, publicKey } = await generateRsaKeyPair('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(
    publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  );
  cert.serialNumber = certificateSerial();
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 365 * 24 * 3600 * 1000);
  const subject = [{ name: 'commonName', value: commonName }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.sign(forge.pki.privateKeyFromPem(keyPem), forge.md.sha256.create());
  const certPem = forge.pki.certificateToPem(cert);
  const der = new X509Certificate(certPem).raw;
  return {
    certPem,
    // PKCS#8, what MSAL Node's `privateKey` and Node's createPrivateKey read.
    keyPem,
    thumbprint: createHash('sha1').update(der).digest('hex').toUpperCase(),
    thumbprintSha256: createHash('sha256').update(der).digest('hex').toUpperCase(),
  };
}

/** What the portal keeps of an uploaded certificate. */
export function certificateCredential(certPem: string): CertificateCredential {
  const x509 = new X509Certificate(certPem);
  return {
    keyId: randomUUID(),
    certPem,
    publicKey: x509.publicKey,
    x5t: createHash('sha1').update(x509.raw).digest('base64url'),
    x5tS256: createHash('sha256').update(x509.raw).digest('base64url'),
  };
}

/** The confidential clients the Entra stand-in knows, by client id. */
export class AppRegistrations {
  readonly #apps = new Map<string, ConfidentialApp>();

  add(app: ConfidentialApp): ConfidentialApp {
    this.#apps.set(app.clientId, app);
    return app;
  }

  get(clientId: string): ConfidentialApp | undefined {
    return this.#apps.get(clientId);
  }

  all(): readonly ConfidentialApp[] {
    return [...this.#apps.values()];
  }
}

/** The demo tenant's directory sync app: one secret (two years) and one certificate, both fresh per start. */
export async function createDirectorySyncApp(): Promise<{
  app: ConfidentialApp;
  secret: ClientSecret;
  certificate: GeneratedCertificate;
}> {
  const secret: ClientSecret = {
    keyId: randomUUID(),
    value: newSecretValue(),
    expiresAt: Date.now() + 2 * 365 * 24 * 3600 * 1000,
  };
  const certificate = await generateCertificate('Workstation directory sync (sandbox)');
  const app: ConfidentialApp = {
    clientId: DIRECTORY_SYNC_CLIENT_ID,
    tenantId: DEMO_TENANT_ID,
    displayName: 'Workstation directory sync',
    servicePrincipalId: DIRECTORY_SYNC_SERVICE_PRINCIPAL_ID,
    secrets: [secret],
    certificates: [certificateCredential(certificate.certPem)],
    // Graph's directory read permissions, granted by admin consent; Dataverse grants by security role.
    appRoles: { 'https://graph.microsoft.com': ['User.Read.All', 'GroupMember.Read.All'] },
  };
  return { app, secret, certificate };
}
