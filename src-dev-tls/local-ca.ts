import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';
import { certificateSerial } from './certificate-serial';

/** A local certificate authority and one server certificate for localhost / 127.0.0.1 / ::1. */
export interface LocalTls {
  /** PEM of the CA certificate: what clients must trust explicitly. */
  readonly caCert: string;
  /** Path of the CA certificate file (for NODE_EXTRA_CA_CERTS or `curl --cacert`). */
  readonly caPath: string;
  readonly serverCert: string;
  readonly serverKey: string;
}

const CA_FILE = 'workstation-local-ca.pem';
const CA_KEY_FILE = 'workstation-local-ca.key.pem';
const SERVER_CERT_FILE = 'localhost.pem';
const SERVER_KEY_FILE = 'localhost.key.pem';

// Browsers and Node reject leaf certificates valid for more than 398 days; renew well before.
const SERVER_VALIDITY_DAYS = 397;
const RENEW_BEFORE_MS = 30 * 24 * 3600 * 1000;

/**
 * Loads the local CA and server certificate from `dir`, generating them on first use (and the
 * server certificate again when it nears expiry). The CA key never leaves `dir` (mode 0600).
 */
export function ensureLocalTls(dir: string): LocalTls {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const caPath = join(dir, CA_FILE);
  const caKeyPath = join(dir, CA_KEY_FILE);
  const certPath = join(dir, SERVER_CERT_FILE);
  const keyPath = join(dir, SERVER_KEY_FILE);

  if (!existsSync(caPath) || !existsSync(caKeyPath)) {
    const ca = createCa();
    writeFileSync(caKeyPath, ca.key, { mode: 0o600 });
    writeFileSync(caPath, ca.cert, { mode: 0o644 });
  }
  const caCert = readFileSync(caPath, 'utf8');
  const caKey = readFileSync(caKeyPath, 'utf8');

  if (
    !existsSync(certPath) ||
    !existsSync(keyPath) ||
    needsRenewal(readFileSync(certPath, 'utf8'), caCert)
  ) {
    const server = createServerCert(caCert, caKey);
    writeFileSync(keyPath, server.key, { mode: 0o600 });
    writeFileSync(certPath, server.cert, { mode: 0o644 });
  }
  return {
    caCert,
    caPath,
    serverCert: readFileSync(certPath, 'utf8'),
    serverKey: readFileSync(keyPath, 'utf8'),
  };
}

function needsRenewal(certPem: string, caPem: string): boolean {
  try {
    const cert = new X509Certificate(certPem);
    const ca = new X509Certificate(caPem);
    return !cert.verify(ca.publicKey) || Date.parse(cert.validTo) - Date.now() < RENEW_BEFORE_MS;
  } catch {
    return true;
  }
}

function createCa(): { cert: string; key: string } {
  const keys = forge.pki.rsa.generateKeyPair({ bits: 2048, e: 0x10001 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = certificateSerial();
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 10 * 365 * 24 * 3600 * 1000);
  const subject = [
    { name: 'commonName', value: 'Workstation Local Development CA' },
    { name: 'organizationName', value: 'Workstation (local only)' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return {
    cert: forge.pki.certificateToPem(cert),
    key: forge.pki.privateKeyToPem(keys.privateKey),
  };
}

function createServerCert(caPem: string, caKeyPem: string): { cert: string; key: string } {
  const ca = forge.pki.certificateFromPem(caPem);
  const caKey = forge.pki.privateKeyFromPem(caKeyPem);
  const keys = forge.pki.rsa.generateKeyPair({ bits: 2048, e: 0x10001 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = certificateSerial();
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + SERVER_VALIDITY_DAYS * 24 * 3600 * 1000);
  cert.setSubject([{ name: 'commonName', value: 'localhost' }]);
  cert.setIssuer(ca.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [
        { type: 2, value: 'localhost' },
        { type: 7, ip: '127.0.0.1' },
        { type: 7, ip: '::1' },
      ],
    },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  return {
    cert: forge.pki.certificateToPem(cert),
    key: forge.pki.privateKeyToPem(keys.privateKey),
  };
}
