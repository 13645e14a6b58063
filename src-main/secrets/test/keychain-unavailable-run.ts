// Run as a child process by the keychain tests, with D-Bus pointed at nothing: prints what the
// root-secret service decided and the secret's fingerprint, so the parent can look for leaks.
import { createHash } from 'node:crypto';
import pino from 'pino';
import { KeytarSecretStore } from '../keytar-secret-store';
import { RootSecretService } from '../root-secret-service';

const service = new RootSecretService(
  new KeytarSecretStore('Workstation Test'),
  pino({ level: 'silent' }),
);
const state = await service.probe();
const secret = await service.rootSecretFor('tenant-x', 'user-x');
process.stdout.write(
  `${JSON.stringify({ state, secretHex: secret.toString('hex'), secretBase64: secret.toString('base64'), fingerprint: createHash('sha256').update(secret).digest('hex') })}\n`,
);
