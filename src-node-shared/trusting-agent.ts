import { Agent } from 'node:https';
import { createSecureContext, rootCertificates } from 'node:tls';

/**
 * A keep-alive HTTPS agent trusting the system roots plus `extraCa` (the demo's local CA); make one
 * per client and keep it. The CAs go into a TLS secure context built here, once: given as `ca`,
 * Node would join every certificate into the connection-pool key of each request
 * (https://nodejs.org/api/http.html#agentgetnameoptions), some 200 KB of PEM text per request
 * with the ~146 system roots. Certificates are verified as before (rejectUnauthorized stays on).
 */
export function trustingAgent(extraCa?: string): Agent {
  return new Agent({
    keepAlive: true,
    ...(extraCa
      ? { secureContext: createSecureContext({ ca: [extraCa, ...rootCertificates] }) }
      : {}),
  });
}
