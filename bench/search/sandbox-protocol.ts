/** What the bench and its sandbox process (sandbox-process.ts) say to each other over IPC. */
import type { FaultConfig, SalesforceEnvironment, Sandbox } from '../../src-sandbox/start-sandbox';

/** What the parent asks for at start (argv[2], JSON). */
export interface SandboxProcessOptions {
  readonly size: 'small' | 'large';
  readonly faults: FaultConfig;
  /** Extra directory users of the demo tenant, each a systemuser of the org: simulated colleagues. */
  readonly syntheticUsers: number;
}

export type SandboxRequest =
  | { id: number; op: 'mint'; user: string; scope: string; lifetimeSec?: number }
  | { id: number; op: 'salesforceTokens'; environment: SalesforceEnvironment; user: string }
  | { id: number; op: 'cpu' }
  | { id: number; op: 'stop' };

/** The oid of simulated user `index` (0-based): a GUID of its own, never a sample user's. */
export const syntheticOid = (index: number) =>
  `5e7e0000-0000-4000-8000-${String(index + 1).padStart(12, '0')}`;

/** The process's first message: where everything listens. */
export interface SandboxReady {
  readonly adminUrl: string;
  readonly caCert: string;
  readonly entraOrigin: string;
  readonly authority: string;
  readonly knownAuthority: string;
  readonly orgUrl: string;
  /** Every org: the first (contoso) counts as `search`/`dataverse`, the others as `search:<label>`. */
  readonly orgs: readonly { readonly label: string; readonly url: string }[];
  readonly graphBaseUrl: string;
  readonly salesforceClientId: string;
  readonly salesforceEnvironments: Sandbox['salesforce']['environments'];
}
