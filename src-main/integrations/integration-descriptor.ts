import type { AxiosInstance } from 'axios';
import type { Logger } from 'pino';
import type {
  ConnectionTarget,
  IntegrationInfo,
} from '../../src-shared/integrations/integration-info';
import type { Meeting } from '../../src-shared/domain/meetings';
import type { CrmTask } from '../../src-shared/domain/tasks';
import type { WorkstationError } from '../../src-shared/errors';
import type { IAuthStrategy } from '../auth/auth-strategy';
import type { IBlobStore } from '../auth/blob-store';
import type { IdentityConfig } from '../auth/msal-client-config';
import type { Envelope, EnvelopeContext } from '../secrets/envelope';
import type { ISearchProvider } from './search-provider';

/** What the app's configuration gives every connection (the real cloud, or the sandbox). */
export interface ConnectionEnvironment {
  /** Entra ID for the integrations that sign in through it. */
  readonly identity: IdentityConfig;
  /** Microsoft Graph's base URL, `https://graph.microsoft.com/v1.0` outside the demo. */
  readonly graphBaseUrl: string;
  /** Each integration's own settings by id, as text (its descriptor reads and checks its part). */
  readonly integrationSettings: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Extra CA besides the system roots (the demo's local CA). */
  readonly extraCa?: string;
}

/** What a connection's sign-in is made from. */
export interface AuthContext {
  readonly target: ConnectionTarget;
  /** "Dynamics 365 · contoso": how messages name the connection. */
  readonly displayName: string;
  /** The connection's encrypted blob in the token store. */
  readonly store: IBlobStore;
  readonly envelope: Envelope;
  readonly envelopeContext: EnvelopeContext;
  readonly environment: ConnectionEnvironment;
  /** This integration's own settings (`environment.integrationSettings[id]`), unchecked text. */
  readonly settings: Readonly<Record<string, string>>;
  readonly logger: Logger;
  /** Called when the state a row shows may have changed. */
  readonly onChange: () => void;
}

/** What a connection's capabilities are made from: an authorized HTTP client and its names. */
export interface CapabilityContext {
  readonly target: ConnectionTarget;
  /** `dynamics:contoso-crm4`: the namespace of result and task ids, and the chip's source. */
  readonly sourceId: string;
  /** "Dynamics 365 · contoso". */
  readonly sourceLabel: string;
  /** Where the API lives (the org, Salesforce's instance, Graph). */
  readonly apiBase: string;
  /** Bearer on every request, one silent refresh on 401, typed errors (auth/token-injector.ts). */
  readonly http: AxiosInstance;
}

/** A CRM's open tasks for the signed-in user; the manager stamps each with its connection. */
export interface ITasksSource {
  list(signal?: AbortSignal): Promise<Omit<CrmTask, 'source' | 'sourceLabel'>[]>;
  complete(id: string): Promise<void>;
}

/** A calendar's upcoming meetings. */
export interface IMeetingsSource {
  upcoming(signal?: AbortSignal): Promise<{ meetings: Meeting[]; allDay: Meeting[] }>;
}

/** An upstream answer the token injector could not word generically. */
export interface UpstreamFailure {
  readonly status: number;
  readonly data: unknown;
  readonly headers: Readonly<Record<string, unknown>>;
}

/**
 * Everything main knows of one integration: its catalog entry (src-shared/integrations), how a
 * connection signs in, where its API lives, and the capabilities it offers. The registry lists
 * these; no other layer names an integration.
 */
export interface IntegrationDescriptor {
  readonly info: IntegrationInfo;
  createAuth(context: AuthContext): IAuthStrategy;
  /** The API base when the sign-in does not decide it (the auth's `apiBaseUrl()` wins). */
  apiBase(target: ConnectionTarget, environment: ConnectionEnvironment): string;
  createSearch?(context: CapabilityContext): ISearchProvider;
  createTasks?(context: CapabilityContext): ITasksSource;
  createMeetings?(context: CapabilityContext): IMeetingsSource;
  /** Hosts the connection's result, task and record links may open (the link guard's allow-list). */
  linkHosts(target: ConnectionTarget, apiBase: string): readonly string[];
  /** Words the upstream's own error bodies (Salesforce's `[{errorCode, message}]`); undefined = generic. */
  mapHttpError?(failure: UpstreamFailure, displayName: string): WorkstationError | undefined;
}
