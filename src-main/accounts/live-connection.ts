import type { ConnectionSummary } from '../../src-shared/domain/integrations';
import type { ConnectionTarget } from '../../src-shared/integrations/integration-info';
import type { IAuthStrategy } from '../auth/auth-strategy';
import { createAuthorizedHttpClient } from '../auth/token-injector';
import type {
  CapabilityContext,
  ConnectionEnvironment,
  IMeetingsSource,
  IntegrationDescriptor,
  ITasksSource,
} from '../integrations/integration-descriptor';
import type { ISearchProvider } from '../integrations/search-provider';

/** `dynamics:contoso-crm4`: how results, tasks and chips name a connection. */
export const sourceIdOf = (integration: string, connectionId: string) =>
  `${integration}:${connectionId}`;

/** "Dynamics 365 · contoso", or the integration's name alone for its only connection. */
export const sourceLabelOf = (name: string, label: string) => (label ? `${name} · ${label}` : name);

/**
 * One of the user's connections: its target, its sign-in, and the capabilities its integration
 * offers, built on first use over one authorized HTTP client.
 */
export class LiveConnection {
  readonly sourceId: string;
  readonly sourceLabel: string;
  /** A Connect is under way (the consent page is open). */
  connecting = false;
  /** While connecting: when the wait ends by itself (epoch ms). */
  pendingUntil: number | undefined;
  /** Why the last Connect stopped without an answer from the sign-in (timed out), for the row. */
  note: string | undefined;
  #capabilities:
    | Promise<{
        search?: ISearchProvider;
        tasks?: ITasksSource;
        meetings?: IMeetingsSource;
        apiBase: string;
      }>
    | undefined;

  constructor(
    readonly descriptor: IntegrationDescriptor,
    readonly target: ConnectionTarget,
    readonly auth: IAuthStrategy,
    private readonly environment: ConnectionEnvironment,
  ) {
    this.sourceId = sourceIdOf(descriptor.info.id, target.connectionId);
    this.sourceLabel = sourceLabelOf(descriptor.info.name, target.label);
  }

  /** The row Settings shows for this connection. */
  async summary(): Promise<ConnectionSummary> {
    const base = {
      connectionId: this.target.connectionId,
      label: this.target.label,
      origin: this.target.origin,
    };
    if (this.connecting)
      return {
        ...base,
        state: 'connecting',
        ...(this.pendingUntil !== undefined ? { pendingUntil: this.pendingUntil } : {}),
      };
    const account = await this.auth.account().catch(() => undefined);
    const error = this.auth.lastError;
    if (error?.code === 'unavailable')
      return { ...base, state: 'unavailable', detail: error.message };
    if (error?.code === 'needs_admin_consent')
      return {
        ...base,
        state: 'needs_admin_consent',
        detail: error.message,
        ...(error.actionUrl ? { actionUrl: error.actionUrl } : {}),
      };
    if (this.auth.lost || (account && error?.code === 'needs_reconnect'))
      return { ...base, state: 'needs_reconnect', detail: error?.message ?? 'Choose Reconnect.' };
    if (account) return { ...base, state: 'connected', account: account.username };
    return {
      ...base,
      state: 'not_connected',
      ...(error && error.code !== 'needs_reconnect'
        ? { detail: error.message }
        : this.note
          ? { detail: this.note }
          : {}),
    };
  }

  /** Whether its capabilities should run: connected, or in a state they report themselves (reconnect). */
  async isLive(): Promise<boolean> {
    if (this.connecting) return false;
    const { state } = await this.summary();
    return state === 'connected' || state === 'needs_reconnect';
  }

  async search(): Promise<ISearchProvider | undefined> {
    return (await this.#build()).search;
  }

  async tasks(): Promise<ITasksSource | undefined> {
    return (await this.#build()).tasks;
  }

  async meetings(): Promise<IMeetingsSource | undefined> {
    return (await this.#build()).meetings;
  }

  /** Hosts this connection's links may open. */
  async linkHosts(): Promise<readonly string[]> {
    return this.descriptor.linkHosts(this.target, (await this.#build()).apiBase);
  }

  /** Forgets built capabilities (a reconnect may move the API, as Salesforce's instance_url can). */
  reset(): void {
    this.#capabilities = undefined;
  }

  #build() {
    this.#capabilities ??= (async () => {
      const { descriptor, target, auth, environment } = this;
      const apiBase = (await auth.apiBaseUrl()) ?? descriptor.apiBase(target, environment);
      const http = createAuthorizedHttpClient({
        displayName: this.sourceLabel,
        tokenSource: { getAccessToken: (options) => auth.getAccessToken(options) },
        baseURL: apiBase,
        extraCa: environment.extraCa,
        ...(descriptor.mapHttpError
          ? { mapError: (failure) => descriptor.mapHttpError?.(failure, this.sourceLabel) }
          : {}),
      });
      const context: CapabilityContext = {
        target,
        sourceId: this.sourceId,
        sourceLabel: this.sourceLabel,
        apiBase,
        http,
      };
      return {
        apiBase,
        search: descriptor.createSearch?.(context),
        tasks: descriptor.createTasks?.(context),
        meetings: descriptor.createMeetings?.(context),
      };
    })();
    // A failed build (the API base could not be read) is tried again next time.
    this.#capabilities.catch(() => (this.#capabilities = undefined));
    return this.#capabilities;
  }
}
