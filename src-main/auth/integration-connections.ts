import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { checkDynamicsOrgUrl, dynamicsOrgSubdomainSchema, dynamicsOrgUrl } from '../../src-shared/domain/dynamics-org';
import type { IntegrationId, IntegrationSummary } from '../../src-shared/domain/integrations';
import { isWorkstationError, workstationError, type WorkstationError } from '../../src-shared/errors';
import type { MyIntegrationsResponse } from '../../src-shared/tokenstore/api';
import type { TokenStoreClient } from '../secrets/token-store-client';
import { RemoteBlobStore } from './blob-store';
import { IntegrationAuth } from './integration-auth';
import type { IBrowserOpener, IdentityConfig } from './msal-client-config';
import type { ITokenSource } from './token-source';
import type { WorkstationSession } from './workstation-session';

const catalog: Record<IntegrationId, { name: string; description: string }> = {
  dynamics: { name: 'Dynamics 365', description: 'Search leads, contacts, accounts and opportunities; see and complete your CRM tasks.' },
  outlook: { name: 'Outlook calendar', description: 'See your upcoming meetings and join Teams, Zoom, Webex or Gong calls in one click.' },
};
const GRAPH = 'https://graph.microsoft.com';

/** What the connection manager needs. */
export interface IntegrationConnectionsOptions {
  readonly session: WorkstationSession;
  readonly store: TokenStoreClient;
  readonly identity: IdentityConfig;
  readonly dataDir: string;
  readonly logger: Logger;
  readonly onChange: () => void;
  /** Org origins accepted besides Dynamics 365 hosts (the demo's sandbox org); https only. */
  readonly extraOrgOrigins?: readonly string[];
}

/**
 * The state machine behind Settings > Integrations: which integrations the organisation enabled
 * for the user (token store), which are connected and as whom, which need a reconnect or an
 * admin's consent; Connect, Disconnect, and tokens for providers (the token source).
 */
export class IntegrationConnections implements ITokenSource {
  readonly #auth = new Map<IntegrationId, IntegrationAuth>();
  readonly #connecting = new Set<IntegrationId>();
  #enabled: MyIntegrationsResponse | undefined;
  #enabledAt = 0;
  #storeNotice: string | undefined;
  // Org addresses from the store that failed the client's own check, per integration: never used.
  #refusedOrg = new Map<IntegrationId, WorkstationError>();

  constructor(private readonly options: IntegrationConnectionsOptions) {}

  /** Every integration with the state its card shows. */
  async list(options: { fresh?: boolean } = {}): Promise<IntegrationSummary[]> {
    const { session } = this.options;
    if (session.state !== 'signed_in') {
      return (Object.keys(catalog) as IntegrationId[]).map((id) => ({ id, ...catalog[id], state: session.state === 'signing_in' ? 'connecting' : 'not_connected', detail: 'Sign in to Workstation first.' }));
    }
    await this.#refreshEnabled(options.fresh ? 0 : undefined);
    const out: IntegrationSummary[] = [];
    for (const id of Object.keys(catalog) as IntegrationId[]) out.push(await this.#summary(id));
    return out;
  }

  /** Connect (one interactive consent). Dynamics takes the org from the admin or the user's subdomain. */
  async connect(id: IntegrationId, browser: IBrowserOpener, orgSubdomain?: string): Promise<void> {
    await this.#run(id, await this.#prepare(id, orgSubdomain), browser);
  }

  /**
   * Validates a Connect and starts the consent in the background: the caller answers the renderer at
   * once (the card shows "Connecting…") and the outcome arrives as a change, however long the user takes.
   */
  async startConnect(id: IntegrationId, browser: IBrowserOpener, orgSubdomain?: string): Promise<void> {
    const auth = await this.#prepare(id, orgSubdomain);
    this.#connecting.add(id);
    void this.#run(id, auth, browser).catch((error: unknown) => this.options.logger.info({ integration: id, code: isWorkstationError(error) ? error.code : 'unknown' }, 'connect did not complete'));
  }

  async #prepare(id: IntegrationId, orgSubdomain?: string): Promise<IntegrationAuth> {
    await this.#refreshEnabled(0);
    const enabled = this.#enabled?.integrations.find((item) => item.id === id);
    if (!enabled) throw workstationError('forbidden', `Your organisation has not enabled ${catalog[id].name} for you.`);
    const refused = this.#refusedOrg.get(id);
    if (refused) throw refused;
    if (id === 'dynamics' && !enabled.settings.orgUrl) {
      if (orgSubdomain === undefined) throw workstationError('invalid_input', 'Enter your Dynamics 365 org, for example org31ec4237.crm4.');
      const parsed = dynamicsOrgSubdomainSchema.safeParse(orgSubdomain);
      if (!parsed.success) throw workstationError('invalid_input', parsed.error.issues[0]?.message ?? 'That is not a Dynamics 365 org name.');
      await this.#saveUserOrg(dynamicsOrgUrl(parsed.data));
      this.#auth.delete('dynamics');
    }
    const auth = await this.#authFor(id);
    if (!auth) throw workstationError('invalid_input', 'Enter your Dynamics 365 org first.');
    return auth;
  }

  async #run(id: IntegrationId, auth: IntegrationAuth, browser: IBrowserOpener): Promise<void> {
    this.#connecting.add(id);
    this.options.onChange();
    try {
      await auth.connect(browser, this.options.session.account?.username);
    } finally {
      this.#connecting.delete(id);
      this.options.onChange();
    }
  }

  /** Disconnect: local cache and remote blob both go. */
  async disconnect(id: IntegrationId): Promise<void> {
    const auth = this.#refusedOrg.has(id) ? undefined : await this.#authFor(id);
    if (auth) await auth.disconnect();
    else await this.options.store.deleteBlob(id, this.options.session.deviceId).catch(() => false);
    this.options.onChange();
  }

  /** The token source for providers: silent only; typed errors say what the user must do. */
  async getAccessToken(id: IntegrationId, options: { forceRefresh?: boolean } = {}): Promise<string> {
    const auth = await this.#authFor(id);
    if (!auth) throw workstationError('needs_reconnect', `${catalog[id].name} is not connected.`);
    return auth.getAccessToken(options);
  }

  /** Forgets every client (sign-out). */
  reset(): void {
    this.#auth.clear();
    this.#enabled = undefined;
    this.#enabledAt = 0;
  }

  async #summary(id: IntegrationId): Promise<IntegrationSummary> {
    const base = { id, ...catalog[id], ...(this.#storeNotice ? { detail: this.#storeNotice } : {}) };
    const enabled = this.#enabled?.integrations.find((item) => item.id === id);
    if (!enabled) return { ...base, state: 'unavailable', detail: `Your organisation has not enabled ${catalog[id].name} for you.` };
    const refused = this.#refusedOrg.get(id);
    if (refused) return { ...base, state: 'unavailable', detail: refused.message };
    if (this.#connecting.has(id)) return { ...base, state: 'connecting' };
    const auth = await this.#authFor(id);
    const orgUrl = id === 'dynamics' ? (enabled.settings.orgUrl ?? (await this.#userOrg())) : undefined;
    if (!auth) return { ...base, state: 'not_connected', needsOrg: true };
    const account = await auth.account().catch(() => undefined);
    const error = auth.lastError;
    const withOrg = { ...base, ...(orgUrl ? { orgUrl } : {}), ...(id === 'dynamics' && !enabled.settings.orgUrl ? { needsOrg: true } : {}) };
    if (auth.newer) return { ...withOrg, state: 'unavailable', detail: error?.message ?? 'This connection was saved by a newer version of Workstation. Update Workstation to use it.' };
    if (error?.code === 'needs_admin_consent') return { ...withOrg, state: 'needs_admin_consent', detail: error.message, ...(error.actionUrl ? { actionUrl: error.actionUrl } : {}) };
    if (auth.lost || (account && error?.code === 'needs_reconnect')) return { ...withOrg, state: 'needs_reconnect', detail: error?.message ?? 'Choose Reconnect.' };
    if (account) return { ...withOrg, state: 'connected', account: account.username };
    return { ...withOrg, state: 'not_connected', ...(error && error.code !== 'needs_reconnect' ? { detail: error.message } : {}) };
  }

  async #authFor(id: IntegrationId): Promise<IntegrationAuth | undefined> {
    const refused = this.#refusedOrg.get(id);
    if (refused) throw refused;
    const existing = this.#auth.get(id);
    if (existing) return existing;
    const { session, store, identity, logger, onChange } = this.options;
    const settings = this.#enabled?.integrations.find((item) => item.id === id)?.settings;
    const resource = id === 'outlook' ? GRAPH : (settings?.orgUrl ?? (await this.#userOrg()));
    if (!resource) return undefined;
    const { envelope, context } = session.sealing(id);
    const auth = new IntegrationAuth({
      identity,
      displayName: catalog[id].name,
      scopes: [id === 'outlook' ? `${GRAPH}/Calendars.Read` : `${resource}/user_impersonation`],
      resource,
      store: new RemoteBlobStore(store, id, session.deviceId),
      envelope,
      envelopeContext: context,
      logger,
      onChange,
    });
    this.#auth.set(id, auth);
    return auth;
  }

  // What the admin enabled changes rarely; searches must not ask the store every keystroke.
  async #refreshEnabled(maxAgeMs = 60_000): Promise<void> {
    if (this.#enabled && Date.now() - this.#enabledAt < maxAgeMs) return;
    try {
      this.#enabled = this.#checkOrgs(await this.options.store.listMyIntegrations());
      this.#enabledAt = Date.now();
      this.#storeNotice = undefined;
    } catch (error) {
      if (isWorkstationError(error) && error.code === 'store_unreachable') this.#storeNotice = error.message;
      else throw error;
    }
  }

  /**
   * The org address becomes a token audience and the API base: a compromised or misconfigured store
   * must not point Workstation (and the user's Dataverse token) elsewhere, so the client checks it
   * itself. A refused address is dropped from the settings and kept only as the card's reason.
   */
  #checkOrgs(answer: MyIntegrationsResponse): MyIntegrationsResponse {
    const refused = new Map<IntegrationId, WorkstationError>();
    const integrations = answer.integrations.map((item) => {
      if (item.settings.orgUrl === undefined) return item;
      const check = checkDynamicsOrgUrl(item.settings.orgUrl, this.options.extraOrgOrigins ?? []);
      if (check.ok) {
        if (check.origin !== this.#enabled?.integrations.find((previous) => previous.id === item.id)?.settings.orgUrl) this.#auth.delete(item.id as IntegrationId);
        return { ...item, settings: { ...item.settings, orgUrl: check.origin } };
      }
      const error = workstationError('unavailable', `Your organisation's token store sent an org address Workstation does not accept: ${check.shown} (${check.reason}). Ask your administrator to check the ${catalog[item.id as IntegrationId]?.name ?? item.id} settings.`);
      // Once per address, not at every refresh.
      if (this.#refusedOrg.get(item.id as IntegrationId)?.message !== error.message) this.options.logger.warn({ integration: item.id, org: check.shown, reason: check.reason }, 'token store sent an org address that is not accepted; not using it');
      refused.set(item.id as IntegrationId, error);
      this.#auth.delete(item.id as IntegrationId);
      const { orgUrl: _refused, ...settings } = item.settings;
      return { ...item, settings };
    });
    this.#refusedOrg = refused;
    return { integrations };
  }

  async #userOrg(): Promise<string | undefined> {
    const text = await readFile(join(this.options.dataDir, 'dynamics-org.json'), 'utf8').catch(() => '');
    try {
      return (JSON.parse(text) as { orgUrl?: string }).orgUrl;
    } catch {
      return undefined;
    }
  }

  async #saveUserOrg(orgUrl: string): Promise<void> {
    await writeFile(join(this.options.dataDir, 'dynamics-org.json'), `${JSON.stringify({ orgUrl })}\n`, { mode: 0o600 });
  }
}
