import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import type { IntegrationId, IntegrationList } from '../../src-shared/domain/integrations';
import type { SessionSummary } from '../../src-shared/domain/session';
import { isWorkstationError, workstationError } from '../../src-shared/errors';
import { IntegrationConnections } from '../auth/integration-connections';
import type { IBrowserOpener, IdentityConfig } from '../auth/msal-client-config';
import { createMsalNetworkClient } from '../auth/msal-network-client';
import { createAuthorizedHttpClient } from '../auth/token-injector';
import { DynamicsApi } from '../integrations/dynamics/dynamics-api';
import { DynamicsProvider } from '../integrations/dynamics/dynamics-provider';
import { DynamicsTasks } from '../integrations/dynamics/dynamics-tasks';
import { OutlookCalendar } from '../integrations/outlook/outlook-calendar';
import { OutlookProvider } from '../integrations/outlook/outlook-provider';
import type { MeetingList } from '../../src-shared/domain/meetings';
import type { TaskList } from '../../src-shared/domain/tasks';
import type { ISearchProvider } from '../integrations/search-provider';
import { WorkstationSession } from '../auth/workstation-session';
import type { AppConfig } from '../config/app-config';
import type { IEventSink } from '../../src-shared/event-sink';
import { IntegrationCatalog } from '../integrations/integration-catalog';
import type { RootSecretService } from '../secrets/root-secret-service';
import { TokenStoreClient } from '../secrets/token-store-client';

/**
 * The user's Workstation sign-in and their integrations, behind the contract's session and
 * integrations methods. Long interactions (sign-in, consent) start here and report their outcome
 * as events, so no call waits on the user.
 */
export class AccountServices {
  readonly #session: WorkstationSession | undefined;
  readonly #connections: IntegrationConnections | undefined;
  #notice: string | undefined;
  readonly #extraCa: string | undefined;
  #dynamics: { orgUrl: string; provider: DynamicsProvider; tasks: DynamicsTasks } | undefined;
  #calendar: OutlookCalendar | undefined;
  #outlookProvider: OutlookProvider | undefined;
  #changeTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly config: AppConfig,
    private readonly events: IEventSink,
    private readonly browser: IBrowserOpener,
    private readonly rootSecrets: RootSecretService,
    private readonly logger: Logger,
    /** Called after a disconnect so no cached answer of that integration outlives it. */
    private readonly onDisconnect: (integration: IntegrationId) => void = () => undefined,
  ) {
    const settings = config.identity;
    this.#extraCa = settings?.extraCaPath ? readFileSync(settings.extraCaPath, 'utf8') : undefined;
    if (!settings) return;
    const extraCa = this.#extraCa;
    const identity: IdentityConfig = { authority: settings.authority, knownAuthorities: settings.knownAuthorities, protocolMode: settings.protocolMode, clientId: settings.clientId, network: createMsalNetworkClient({ extraCa }) };
    const onChange = () => this.#changed();
    this.#session = new WorkstationSession({ identity, storeScope: settings.tokenStoreScope, dataDir: config.dataDir, rootSecrets, logger, onChange });
    const session = this.#session;
    const store = new TokenStoreClient({ baseUrl: settings.tokenStoreUrl, extraCa, getToken: () => session.getStoreToken() });
    this.#connections = new IntegrationConnections({ session, store, identity, dataDir: config.dataDir, logger, onChange, extraOrgOrigins: settings.extraOrgOrigins });
  }

  /** Probes the keychain and reopens the remembered session. */
  async start(): Promise<void> {
    await this.rootSecrets.probe();
    await this.#session?.start().catch((error: unknown) => {
      this.#notice = isWorkstationError(error) ? error.message : 'Your previous session could not be reopened.';
    });
  }

  session(): SessionSummary {
    const keychain = this.rootSecrets.keychain;
    const account = this.#session?.account;
    const notice = !this.#session ? 'Workstation is not connected to a Microsoft tenant yet (see the README: "Point it at your tenant").' : keychain.state === 'unavailable' ? keychain.message : [keychain.notice, this.#notice].filter(Boolean).join(' ') || undefined;
    return {
      state: this.#session?.state ?? 'signed_out',
      ...(account ? { account: { username: account.username, tenantId: account.tenantId, ...(account.name ? { displayName: account.name } : {}) } } : {}),
      keychain: keychain.state,
      mode: this.config.mode,
      ...(notice ? { notice } : {}),
    };
  }

  /** Starts the interactive sign-in; the result arrives as `session:didChange`. */
  signIn(): SessionSummary {
    const session = this.#requireSession();
    if (session.state === 'signed_in') return this.session();
    this.#notice = undefined;
    void session.signIn(this.browser).then(
      () => this.#changed(),
      (error: unknown) => {
        this.#notice = isWorkstationError(error) ? error.message : 'Signing in did not complete.';
        this.#changed();
      },
    );
    return { ...this.session(), state: 'signing_in' };
  }

  async signOut(): Promise<SessionSummary> {
    await this.#session?.signOut();
    this.#connections?.reset();
    return this.session();
  }

  async integrations(): Promise<IntegrationList> {
    if (!this.#connections) {
      return { integrations: new IntegrationCatalog().list().integrations.map((item) => ({ ...item, state: 'unavailable' as const, detail: 'Not configured: Workstation is not connected to a tenant yet.' })) };
    }
    return { integrations: await this.#connections.list() };
  }

  async connect(id: IntegrationId, orgSubdomain?: string): Promise<IntegrationList> {
    this.#requireSession();
    if (this.#session?.state !== 'signed_in') throw workstationError('needs_sign_in', 'Sign in to Workstation first.');
    await this.#connections?.startConnect(id, this.browser, orgSubdomain);
    return this.integrations();
  }

  async disconnect(id: IntegrationId): Promise<IntegrationList> {
    await this.#connections?.disconnect(id);
    if (id === 'dynamics') this.#dynamics = undefined;
    if (id === 'outlook') {
      this.#calendar = undefined;
      this.#outlookProvider = undefined;
    }
    this.onDisconnect(id);
    return this.integrations();
  }

  /** Hosts of the Dynamics org(s) this user's links may open. */
  async orgHosts(): Promise<string[]> {
    if (!this.#connections || this.#session?.state !== 'signed_in') return [];
    const dynamics = (await this.#connections.list()).find((item) => item.id === 'dynamics');
    return dynamics?.orgUrl ? [new URL(dynamics.orgUrl).host] : [];
  }

  /** The search providers of the integrations connected now. */
  async searchProviders(): Promise<ISearchProvider[]> {
    if (!this.#connections || this.#session?.state !== 'signed_in') return [];
    const list = await this.#connections.list();
    const providers: ISearchProvider[] = [];
    const dynamics = list.find((item) => item.id === 'dynamics');
    if (dynamics?.state === 'connected' && dynamics.orgUrl) providers.push(this.#dynamicsFor(dynamics.orgUrl).provider);
    if (list.find((item) => item.id === 'outlook')?.state === 'connected') {
      this.#outlookProvider ??= new OutlookProvider(this.#calendarClient());
      providers.push(this.#outlookProvider);
    }
    return providers;
  }

  /** My CRM Tasks, or why there are none to show. */
  async tasks(): Promise<TaskList> {
    const dynamics = await this.#connected('dynamics');
    if (!dynamics?.orgUrl) return { tasks: [], status: { state: 'not_connected', message: 'Connect Dynamics 365 in Settings > Integrations to see your tasks.' } };
    try {
      return { tasks: await this.#dynamicsFor(dynamics.orgUrl).tasks.list(), status: { state: 'ok', fetchedAt: Date.now() } };
    } catch (error) {
      return { tasks: [], status: widgetFailure(error) };
    }
  }

  async completeTask(id: string): Promise<{ completed: true }> {
    const dynamics = await this.#connected('dynamics');
    if (!dynamics?.orgUrl) throw workstationError('needs_reconnect', 'Connect Dynamics 365 first.');
    await this.#dynamicsFor(dynamics.orgUrl).tasks.complete(id);
    return { completed: true };
  }

  /** Upcoming meetings, or why there are none to show. */
  async meetings(): Promise<MeetingList> {
    const outlook = await this.#connected('outlook');
    if (!outlook || !this.#connections || !this.config.identity) return { meetings: [], allDay: [], status: { state: 'not_connected', message: 'Connect Outlook calendar in Settings > Integrations to see your meetings.' } };
    try {
      return { ...(await this.#calendarClient().upcoming()), status: { state: 'ok', fetchedAt: Date.now() } };
    } catch (error) {
      return { meetings: [], allDay: [], status: widgetFailure(error) };
    }
  }

  #calendarClient(): OutlookCalendar {
    if (!this.#connections || !this.config.identity) throw workstationError('unavailable', 'Workstation is not connected to a tenant.');
    this.#calendar ??= new OutlookCalendar(createAuthorizedHttpClient({ integration: 'outlook', displayName: 'Outlook calendar', tokenSource: this.#connections, baseURL: `${this.config.identity.graphBaseUrl.replace(/\/$/, '')}/`, extraCa: this.#extraCa }));
    return this.#calendar;
  }

  async #connected(id: IntegrationId) {
    if (!this.#connections || this.#session?.state !== 'signed_in') return undefined;
    const item = (await this.#connections.list()).find((candidate) => candidate.id === id);
    return item?.state === 'connected' ? item : undefined;
  }

  #dynamicsFor(orgUrl: string): { provider: DynamicsProvider; tasks: DynamicsTasks } {
    if (this.#dynamics?.orgUrl !== orgUrl) {
      if (!this.#connections) throw workstationError('unavailable', 'Workstation is not connected to a tenant.');
      const http = createAuthorizedHttpClient({ integration: 'dynamics', displayName: 'Dynamics 365', tokenSource: this.#connections, baseURL: orgUrl, extraCa: this.#extraCa });
      this.#dynamics = { orgUrl, provider: new DynamicsProvider(new DynamicsApi(http), orgUrl), tasks: new DynamicsTasks(http, orgUrl) };
    }
    return this.#dynamics;
  }

  /** Tokens for providers, per integration (silent only). */
  getAccessToken(id: IntegrationId, options: { forceRefresh?: boolean } = {}): Promise<string> {
    if (!this.#connections) throw workstationError('unavailable', 'Workstation is not connected to a tenant.');
    return this.#connections.getAccessToken(id, options);
  }

  #requireSession(): WorkstationSession {
    if (!this.#session) throw workstationError('unavailable', 'Workstation is not connected to a Microsoft tenant yet. See the README, "Point it at your tenant".');
    return this.#session;
  }

  // Several changes often come together (connecting, connected, saved); announce them once.
  #changed(): void {
    if (this.#changeTimer) return;
    this.#changeTimer = setTimeout(() => {
      this.#changeTimer = undefined;
      this.events.emit('session:didChange', this.session());
      void this.integrations().then(
        (list) => this.events.emit('integrations:didChange', list),
        (error: unknown) => this.logger.warn({ code: isWorkstationError(error) ? error.code : 'unknown' }, 'integrations could not be listed'),
      );
    }, 50);
  }
}

/** A widget's failure as the user reads it. */
function widgetFailure(error: unknown): { state: 'needs_reconnect' | 'failed'; message: string } {
  if (isWorkstationError(error) && (error.code === 'needs_reconnect' || error.code === 'needs_sign_in')) return { state: 'needs_reconnect', message: error.message };
  return { state: 'failed', message: isWorkstationError(error) ? error.message : 'Could not be loaded.' };
}
