import type { Logger } from 'pino';
import type {
  ConnectFieldSummary,
  ConnectionSummary,
  IntegrationSummary,
} from '../../src-shared/domain/integrations';
import {
  isWorkstationError,
  workstationError,
  type WorkstationError,
} from '../../src-shared/errors';
import { resolveTarget } from '../../src-shared/integrations/catalog';
import type {
  AdminSettings,
  ConnectionTarget,
  TargetPolicy,
} from '../../src-shared/integrations/integration-info';
import type { MyIntegrationsResponse } from '../../src-shared/tokenstore/api';
import { RemoteBlobStore, type IBlobStore } from '../auth/blob-store';
import type { IBrowserOpener } from '../auth/msal-client-config';
import type { WorkstationSession } from '../auth/workstation-session';
import type {
  ConnectionEnvironment,
  IntegrationDescriptor,
} from '../integrations/integration-descriptor';
import type { ISearchProvider } from '../integrations/search-provider';
import type { Schedule } from '../integrations/min-interval-gate';
import type { SearchSource } from '../search/search-service';
import type { TokenStoreClient } from '../secrets/token-store-client';
import {
  connectionListOwner,
  type ConnectionEntry,
  type ConnectionListFile,
} from './connection-list-file';
import { LiveConnection, sourceIdOf, sourceLabelOf } from './live-connection';

/** What the connection manager is made of. */
export interface ConnectionManagerOptions {
  readonly registry: readonly IntegrationDescriptor[];
  readonly session: WorkstationSession;
  readonly store: TokenStoreClient;
  readonly environment: ConnectionEnvironment;
  /** Origins accepted besides each vendor's own hosts (the demo's sandbox). */
  readonly policy: TargetPolicy;
  readonly list: ConnectionListFile;
  readonly logger: Logger;
  /** Called when what Settings shows may have changed. */
  readonly onChange: () => void;
  /** Called after a disconnect, so no cached answer of that connection outlives it. */
  readonly onDisconnect?: (sourceId: string) => void;
  /** How long a Connect waits for the consent before it stops by itself (5 minutes). */
  readonly connectTimeoutMs?: number;
  /** Runs the Connect timeout (tests pass a manual clock's). */
  readonly schedule?: Schedule;
  readonly now?: () => number;
}

/** A consent not finished in this long is given up: the row leaves "Connecting…" and says why. */
export const CONNECT_TIMEOUT_MS = 5 * 60_000;

/** What the organisation enabled for this user, per integration, as this client re-checked it. */
type Enabled = ReadonlyMap<
  string,
  { readonly settings: AdminSettings } | { readonly refused: WorkstationError }
>;

/**
 * The user's connections across the registry: which integrations the organisation enabled (token
 * store), which connections exist and in what state, Connect / Reconnect / Disconnect, and the
 * live connections whose capabilities (search, tasks, meetings) the launcher uses. Loops over the
 * registry; never names an integration.
 */
export class ConnectionManager {
  readonly #live = new Map<string, LiveConnection>();
  #entries: ConnectionEntry[] | undefined;
  #entriesOwner = '';
  #enabled: Enabled | undefined;
  #enabledAt = 0;
  #storeNotice: string | undefined;
  /** The ETag of the policy `#enabled` was read from: polls send it and an unchanged one is a 304. */
  #policyEtag: string | undefined;
  /** The user's revocation epochs as last read; a rise means an admin signed them out. */
  #epochs: Readonly<Record<string, number>> | undefined;
  /** Connections an admin signed out since their last Connect (their rows ask to Reconnect). */
  readonly #revoked = new Set<string>();
  /** Connects waiting for the user's consent, by source id: aborting one stops the wait. */
  readonly #pending = new Map<string, AbortController>();

  constructor(private readonly options: ConnectionManagerOptions) {}

  /**
   * Asks the store whether the organisation's policy for this user changed (one cheap request, a
   * 304 when not); a change (disabled, audience narrowed, settings, revoked) reaches the cards,
   * the widgets and search at once.
   */
  async pollPolicy(): Promise<void> {
    if (this.options.session.state !== 'signed_in') return;
    if (await this.#refreshEnabled(0)) this.options.onChange();
  }

  /** Names of integrations offering `capability` that the user has connections of but may no longer use. */
  turnedOffWith(capability: 'search' | 'tasks' | 'meetings'): Promise<string[]> {
    return this.#turnedOffNames(capability);
  }

  /** Names of integrations offering `capability` that the organisation has enabled for the user. */
  async offeredWith(capability: 'search' | 'tasks' | 'meetings'): Promise<string[]> {
    if (this.options.session.state !== 'signed_in') return this.namesWith(capability);
    await this.#refreshEnabled();
    if (this.#storeNotice && !this.#enabled) return this.namesWith(capability);
    return this.options.registry
      .filter(
        ({ info }) =>
          info.capabilities.includes(capability) &&
          (() => {
            const enabled = this.#enabled?.get(info.id);
            return enabled !== undefined && !('refused' in enabled);
          })(),
      )
      .map(({ info }) => info.name);
  }

  async #turnedOffNames(capability: 'search' | 'tasks' | 'meetings'): Promise<string[]> {
    if (this.options.session.state !== 'signed_in') return [];
    await this.#refreshEnabled();
    const names = new Set<string>();
    for (const entry of await this.#readEntries()) {
      const descriptor = this.options.registry.find(({ info }) => info.id === entry.integration);
      if (descriptor?.info.capabilities.includes(capability) && !this.#allowed(entry))
        names.add(descriptor.info.name);
    }
    return [...names];
  }

  /** Every integration's card: availability, connections, and the form that adds one. */
  async list(options: { fresh?: boolean } = {}): Promise<IntegrationSummary[]> {
    const { session, registry } = this.options;
    if (session.state !== 'signed_in') {
      const detail =
        session.state === 'signing_in'
          ? 'Signing in to Workstation…'
          : 'Sign in to Workstation first.';
      return registry.map(({ info }) => ({
        ...this.#card(info),
        availability: 'unavailable',
        detail,
        connections: [],
      }));
    }
    await this.#refreshEnabled(options.fresh ? 0 : undefined);
    return Promise.all(registry.map((descriptor) => this.#summary(descriptor)));
  }

  /**
   * Validates a Connect (a new connection from the form's fields, or a reconnect) and starts the
   * consent in the background: the caller answers at once (the row shows "Connecting…") and the
   * outcome arrives as a change, however long the user takes.
   */
  async startConnect(
    id: string,
    browser: IBrowserOpener,
    request: { connectionId?: string; fields?: Readonly<Record<string, string>> } = {},
  ): Promise<void> {
    const connection = await this.#prepare(id, request);
    connection.connecting = true;
    this.options.onChange();
    void this.#run(connection, browser).catch((error: unknown) =>
      this.options.logger.info(
        { source: connection.sourceId, code: isWorkstationError(error) ? error.code : 'unknown' },
        'connect did not complete',
      ),
    );
  }

  /** Connect and wait for the outcome (tests, and callers that can wait on the user). */
  async connect(
    id: string,
    browser: IBrowserOpener,
    request: { connectionId?: string; fields?: Readonly<Record<string, string>> } = {},
  ): Promise<void> {
    const connection = await this.#prepare(id, request);
    connection.connecting = true;
    await this.#run(connection, browser);
  }

  /**
   * Stops waiting for a Connect (the user closed the consent tab): the row leaves "Connecting…" at
   * once; the strategy stops listening where it can. Unknown or finished connects are no-ops.
   */
  cancelConnect(id: string, connectionId: string): void {
    this.#pending
      .get(sourceIdOf(id, connectionId))
      ?.abort(workstationError('cancelled', 'You cancelled connecting.'));
  }

  /** Disconnect: the sign-in is revoked where it can be, the local and remote copies go, the row too. */
  async disconnect(id: string, connectionId: string): Promise<void> {
    const entries = await this.#readEntries();
    const entry = entries.find(
      (candidate) => candidate.integration === id && candidate.connectionId === connectionId,
    );
    const sourceId = sourceIdOf(id, connectionId);
    const connection = entry ? this.#liveFor(entry) : undefined;
    if (connection) await connection.auth.disconnect();
    else
      await this.options.store
        .deleteBlob({
          integration: id,
          connection: connectionId,
          deviceId: this.options.session.deviceId,
        })
        .catch(() => false);
    this.#live.delete(sourceId);
    await this.#writeEntries(entries.filter((candidate) => candidate !== entry));
    this.options.onDisconnect?.(sourceId);
    this.options.onChange();
  }

  /** The connections whose capabilities run now: connected, or needing a reconnect they report themselves. */
  async live(): Promise<LiveConnection[]> {
    if (this.options.session.state !== 'signed_in') return [];
    await this.#refreshEnabled();
    const out: LiveConnection[] = [];
    for (const entry of await this.#readEntries()) {
      if (!this.#allowed(entry)) continue;
      const connection = this.#liveFor(entry);
      if (connection && (await connection.isLive())) out.push(connection);
    }
    return out;
  }

  /** The search providers of the live connections. */
  async searchProviders(): Promise<ISearchProvider[]> {
    const providers = await Promise.all(
      (await this.live()).map((connection) => connection.search()),
    );
    return providers.filter((provider): provider is ISearchProvider => provider !== undefined);
  }

  /**
   * What a query fans out to: each searchable connection's provider, and for each connection that
   * cannot search now (needs a reconnect, turned off by the organisation, not connected yet) a row
   * that says why, so a result list is never silently short of a source. `connections` counts the
   * user's connections of integrations that search (none: the launcher may show sample data).
   */
  async searchSources(): Promise<{ sources: SearchSource[]; connections: number }> {
    if (this.options.session.state !== 'signed_in') return { sources: [], connections: 0 };
    await this.#refreshEnabled();
    const entries = (await this.#readEntries()).filter((entry) =>
      this.options.registry
        .find(({ info }) => info.id === entry.integration)
        ?.info.capabilities.includes('search'),
    );
    const sources = await Promise.all(
      entries.map(async (entry): Promise<SearchSource | undefined> => {
        const descriptor = this.options.registry.find(({ info }) => info.id === entry.integration);
        const id = sourceIdOf(entry.integration, entry.connectionId);
        const label = sourceLabelOf(descriptor?.info.name ?? entry.integration, entry.label);
        if (!this.#allowed(entry))
          return {
            id,
            label,
            blocked: { state: 'not_enabled', message: this.#turnedOff(entry.integration) },
          };
        const connection = this.#liveFor(entry);
        if (!connection) return undefined;
        const summary = await this.#rowOf(entry);
        switch (summary.state) {
          case 'connected':
            return connection.search();
          case 'connecting':
            return undefined;
          case 'unavailable':
            return {
              id,
              label,
              blocked: {
                state: 'failed',
                message: summary.detail ?? `${label} cannot be searched.`,
              },
            };
          default:
            return {
              id,
              label,
              blocked: {
                state: 'needs_reconnect',
                action: 'reconnect',
                message:
                  summary.detail ??
                  `${label} is not connected. Choose Reconnect in Settings > Integrations.`,
              },
            };
        }
      }),
    );
    return {
      sources: sources.filter((source): source is SearchSource => source !== undefined),
      connections: entries.length,
    };
  }

  /** Hosts the live connections' links may open (the link guard's allow-list). */
  async linkHosts(): Promise<string[]> {
    const hosts = await Promise.all(
      (await this.live()).map((connection) => connection.linkHosts().catch(() => [])),
    );
    return [...new Set(hosts.flat())];
  }

  /** Integrations (by name) that offer a capability, for "Connect X or Y" messages. */
  namesWith(capability: 'search' | 'tasks' | 'meetings'): string[] {
    return this.options.registry
      .filter(({ info }) => info.capabilities.includes(capability))
      .map(({ info }) => info.name);
  }

  /** Forgets every client and what the store said (sign-out). */
  reset(): void {
    this.#live.clear();
    this.#enabled = undefined;
    this.#enabledAt = 0;
    this.#policyEtag = undefined;
    this.#epochs = undefined;
    this.#revoked.clear();
  }

  /** Why a connection the user has cannot be used: the integration or this connection is off for them. */
  #turnedOff(integration: string): string {
    const name =
      this.options.registry.find(({ info }) => info.id === integration)?.info.name ?? integration;
    const enabled = this.#enabled?.get(integration);
    if (!enabled) return `Your organisation has turned off ${name} for you.`;
    if ('refused' in enabled) return enabled.refused.message;
    return `Your organisation no longer offers this ${name} connection.`;
  }

  #card(info: IntegrationDescriptor['info']) {
    return {
      id: info.id,
      name: info.name,
      description: info.description,
      capabilities: [...info.capabilities],
    };
  }

  async #summary(descriptor: IntegrationDescriptor): Promise<IntegrationSummary> {
    const { info } = descriptor;
    const card = this.#card(info);
    const enabled = this.#enabled?.get(info.id);
    if (!enabled)
      return {
        ...card,
        availability: 'unavailable',
        detail: this.#storeNotice ?? `Your organisation has not enabled ${info.name} for you.`,
        connections: [],
      };
    if ('refused' in enabled)
      return {
        ...card,
        availability: 'unavailable',
        detail: enabled.refused.message,
        connections: [],
      };
    const entries = (await this.#readEntries()).filter((entry) => entry.integration === info.id);
    const connections = await Promise.all(entries.map((entry) => this.#rowOf(entry)));
    const form = this.#connectForm(descriptor, enabled.settings, entries);
    return {
      ...card,
      availability: 'available',
      ...(this.#storeNotice ? { detail: this.#storeNotice } : {}),
      ...(form ? { connect: { fields: form } } : {}),
      connections,
    };
  }

  /** One connection's row: turned off, signed out by an admin, or as its sign-in says. */
  async #rowOf(entry: ConnectionEntry): Promise<ConnectionSummary> {
    if (!this.#allowed(entry))
      return {
        connectionId: entry.connectionId,
        label: entry.label,
        origin: entry.origin,
        state: 'unavailable',
        detail: 'Your organisation no longer offers this connection. Disconnect it to remove it.',
      };
    const connection = this.#liveFor(entry);
    const row = (await connection?.summary()) ?? {
      connectionId: entry.connectionId,
      label: entry.label,
      state: 'not_connected' as const,
    };
    if (
      connection &&
      this.#revoked.has(connection.sourceId) &&
      (row.state === 'not_connected' || row.state === 'needs_reconnect')
    )
      return {
        ...row,
        state: 'needs_reconnect',
        detail: `Your organisation's administrator signed you out of ${connection.sourceLabel}. Choose Reconnect to sign in again.`,
      };
    return row;
  }

  /** The form that adds a connection now: a choice of the admin's remaining pins, or the integration's own fields. */
  #connectForm(
    descriptor: IntegrationDescriptor,
    settings: AdminSettings,
    entries: readonly ConnectionEntry[],
  ): ConnectFieldSummary[] | undefined {
    const { info } = descriptor;
    if (!info.multipleConnections && entries.length > 0) return undefined;
    const pinned = info.pinnedTargets(settings);
    if (pinned.length === 0)
      return info.connectFields.map(({ choices, ...field }) => ({
        ...field,
        ...(choices ? { choices: choices.map((choice) => ({ ...choice })) } : {}),
      }));
    const open = pinned.filter(
      (target) => !entries.some((entry) => entry.connectionId === target.connectionId),
    );
    if (open.length === 0) return undefined;
    if (pinned.length === 1) return [];
    return [
      {
        name: 'target',
        label: `${info.name} connection`,
        kind: 'choice',
        choices: open.map((target) => ({ value: target.connectionId, label: target.label })),
      },
    ];
  }

  async #prepare(
    id: string,
    request: { connectionId?: string; fields?: Readonly<Record<string, string>> },
  ): Promise<LiveConnection> {
    if (this.options.session.state !== 'signed_in')
      throw workstationError('needs_sign_in', 'Sign in to Workstation first.');
    const descriptor = this.options.registry.find(({ info }) => info.id === id);
    if (!descriptor)
      throw workstationError('invalid_input', 'Workstation does not offer that integration.');
    await this.#refreshEnabled(0);
    const enabled = this.#enabled?.get(id);
    if (!enabled)
      throw workstationError(
        'forbidden',
        this.#storeNotice ?? `Your organisation has not enabled ${descriptor.info.name} for you.`,
      );
    if ('refused' in enabled) throw enabled.refused;
    const entries = await this.#readEntries();
    let target: ConnectionTarget;
    if (request.connectionId !== undefined) {
      const entry = entries.find(
        (candidate) =>
          candidate.integration === id && candidate.connectionId === request.connectionId,
      );
      if (!entry)
        throw workstationError(
          'not_found',
          `That ${descriptor.info.name} connection no longer exists; add it again.`,
        );
      target = entry;
    } else {
      const resolved = resolveTarget(
        descriptor.info,
        request.fields ?? {},
        enabled.settings,
        this.options.policy,
      );
      if ('problem' in resolved) throw workstationError('invalid_input', resolved.problem);
      if (
        !descriptor.info.multipleConnections &&
        entries.some(
          (entry) => entry.integration === id && entry.connectionId !== resolved.connectionId,
        )
      ) {
        throw workstationError(
          'conflict',
          `${descriptor.info.name} is already connected; disconnect it first.`,
        );
      }
      target = resolved;
    }
    const entry: ConnectionEntry = {
      integration: id,
      connectionId: target.connectionId,
      label: target.label,
      origin: target.origin,
    };
    if (!this.#allowed(entry))
      throw workstationError(
        'forbidden',
        `Your organisation does not offer that ${descriptor.info.name} connection.`,
      );
    if (
      !entries.some(
        (candidate) =>
          candidate.integration === id && candidate.connectionId === entry.connectionId,
      )
    )
      await this.#writeEntries([...entries, entry]);
    const connection = this.#liveFor(entry);
    if (!connection) throw workstationError('needs_sign_in', 'Sign in to Workstation first.');
    return connection;
  }

  /**
   * Waits for the consent, at most `connectTimeoutMs`, and no longer once cancelled. The wait is
   * what ends; a consent the user still finishes in the browser afterwards is saved and shows.
   */
  async #run(connection: LiveConnection, browser: IBrowserOpener): Promise<void> {
    const now = this.options.now ?? Date.now;
    const timeoutMs = this.options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
    const schedule: Schedule =
      this.options.schedule ??
      ((callback, ms) => {
        const timer = setTimeout(callback, ms);
        timer.unref();
        return () => clearTimeout(timer);
      });
    this.#pending.get(connection.sourceId)?.abort();
    const stop = new AbortController();
    this.#pending.set(connection.sourceId, stop);
    connection.pendingUntil = now() + timeoutMs;
    connection.note = undefined;
    const minutes = Math.round(timeoutMs / 60_000);
    const stopTimer = schedule(
      () =>
        stop.abort(
          workstationError(
            'timeout',
            `The sign-in was not finished within ${minutes} minute${minutes === 1 ? '' : 's'}. Choose Reconnect to try again.`,
          ),
        ),
      timeoutMs,
    );
    const stopped = new Promise<never>((_, reject) =>
      stop.signal.addEventListener('abort', () => reject(stop.signal.reason as Error), {
        once: true,
      }),
    );
    stopped.catch(() => undefined);
    try {
      const consent = connection.auth.connect(
        browser,
        this.options.session.account?.username,
        stop.signal,
      );
      // A consent finished after the wait ended still lands; its own onChange shows it.
      consent.then(
        () => {
          if (!stop.signal.aborted) return;
          this.#revoked.delete(connection.sourceId);
          connection.note = undefined;
          connection.reset();
        },
        () => undefined,
      );
      await Promise.race([consent, stopped]);
      this.#revoked.delete(connection.sourceId);
      connection.reset();
    } catch (error) {
      if (stop.signal.aborted && isWorkstationError(error) && error.code === 'timeout')
        connection.note = error.message;
      throw error;
    } finally {
      stopTimer();
      if (this.#pending.get(connection.sourceId) === stop)
        this.#pending.delete(connection.sourceId);
      connection.connecting = false;
      connection.pendingUntil = undefined;
      this.options.onChange();
    }
  }

  /** An entry is usable while its integration is enabled and, if the admin pinned targets, it is one of them. */
  #allowed(entry: ConnectionEntry, all: Enabled | undefined = this.#enabled): boolean {
    const enabled = all?.get(entry.integration);
    if (!enabled || 'refused' in enabled) return false;
    const descriptor = this.options.registry.find(({ info }) => info.id === entry.integration);
    const pinned = descriptor?.info.pinnedTargets(enabled.settings) ?? [];
    return (
      pinned.length === 0 ||
      pinned.some(
        (target) => target.connectionId === entry.connectionId && target.origin === entry.origin,
      )
    );
  }

  #liveFor(entry: ConnectionEntry): LiveConnection | undefined {
    const sourceId = sourceIdOf(entry.integration, entry.connectionId);
    const existing = this.#live.get(sourceId);
    if (existing && existing.target.origin === entry.origin) return existing;
    const descriptor = this.options.registry.find(({ info }) => info.id === entry.integration);
    const { session, store, environment, logger, onChange } = this.options;
    if (!descriptor || session.state !== 'signed_in') return undefined;
    const { envelope, context } = session.sealing(sourceId);
    const displayName = sourceLabelOf(descriptor.info.name, entry.label);
    const auth = descriptor.createAuth({
      target: entry,
      displayName,
      store: this.#watched(
        new RemoteBlobStore(store, {
          integration: entry.integration,
          connection: entry.connectionId,
          deviceId: session.deviceId,
        }),
      ),
      envelope,
      envelopeContext: context,
      environment,
      settings: environment.integrationSettings[entry.integration] ?? {},
      logger,
      onChange,
    });
    const connection = new LiveConnection(descriptor, entry, auth, environment);
    this.#live.set(sourceId, connection);
    return connection;
  }

  /**
   * The store refuses a blob (403) the moment an admin turns an integration off for the user: the
   * policy is read again then, so the cards and widgets change without waiting for the next poll.
   */
  #watched(blobs: IBlobStore): IBlobStore {
    const watch = <T>(pending: Promise<T>) =>
      pending.catch((error: unknown) => {
        if (isWorkstationError(error) && error.code === 'forbidden')
          void this.pollPolicy().catch(() => undefined);
        throw error;
      });
    return {
      read: () => watch(blobs.read()),
      write: (blob) => watch(blobs.write(blob)),
      remove: () => blobs.remove(),
    };
  }

  /** Whose connection list this is: the signed-in user (`<tenant id>:<object id>`). */
  #owner(): string {
    const account = this.options.session.account;
    return account ? connectionListOwner(account) : '';
  }

  async #readEntries(): Promise<ConnectionEntry[]> {
    const owner = this.#owner();
    // Another user signed in on this device: their list, never the previous user's.
    if (this.#entries === undefined || this.#entriesOwner !== owner) {
      this.#entries = owner ? await this.options.list.read(owner) : [];
      this.#entriesOwner = owner;
    }
    return this.#entries;
  }

  async #writeEntries(entries: ConnectionEntry[]): Promise<void> {
    const owner = this.#owner();
    if (!owner) return;
    this.#entries = entries;
    this.#entriesOwner = owner;
    await this.options.list.write(entries, owner);
  }

  // What the admin enabled changes rarely; searches must not ask the store every keystroke (the
  // poll, `pollPolicy`, keeps it fresh). Answers whether what the cards show may have changed.
  async #refreshEnabled(maxAgeMs = 60_000): Promise<boolean> {
    if (this.#enabled && Date.now() - this.#enabledAt < maxAgeMs) return false;
    const hadNotice = this.#storeNotice !== undefined;
    try {
      const answer = await this.options.store.policy(this.#enabled ? this.#policyEtag : undefined);
      this.#enabledAt = Date.now();
      this.#storeNotice = undefined;
      if (answer.notModified) return hadNotice;
      await this.#noteRevocations(answer.policy.revocations);
      this.#enabled = this.#check(answer.policy);
      this.#policyEtag = answer.etag;
      return true;
    } catch (error) {
      if (isWorkstationError(error) && error.code === 'store_unreachable') {
        this.#storeNotice = error.message;
        return !hadNotice;
      }
      if (isWorkstationError(error) && error.code === 'user_inactive') {
        // The synced directory turned Workstation off for this user: nothing is enabled, and every
        // card and widget says the store's words ("Your organisation has turned off Workstation for you").
        this.#enabledAt = Date.now();
        this.#storeNotice = error.message;
        this.#enabled = new Map();
        this.#policyEtag = undefined;
        return !hadNotice;
      }
      throw error;
    }
  }

  /**
   * An admin's revoke deleted the user's blobs in the store; this device still holds the sign-in in
   * memory. A risen epoch drops those clients (and their cached answers), and their rows ask to
   * Reconnect. The first read only sets the baseline.
   */
  async #noteRevocations(next: Readonly<Record<string, number>>): Promise<void> {
    const previous = this.#epochs;
    this.#epochs = next;
    if (!previous) return;
    const risen = Object.keys(next).filter((key) => (next[key] ?? 0) > (previous[key] ?? 0));
    if (risen.length === 0) return;
    for (const entry of await this.#readEntries()) {
      if (!risen.includes('*') && !risen.includes(entry.integration)) continue;
      const sourceId = sourceIdOf(entry.integration, entry.connectionId);
      this.#revoked.add(sourceId);
      this.#live.delete(sourceId);
      this.options.onDisconnect?.(sourceId);
    }
  }

  /**
   * The store's settings become token audiences and API bases: a compromised or misconfigured store
   * must not point Workstation (and the user's tokens) elsewhere, so the client re-checks them with
   * the same schemas the store uses. Refused settings disable the integration and say why.
   */
  #check(answer: MyIntegrationsResponse): Enabled {
    const enabled = new Map<string, { settings: AdminSettings } | { refused: WorkstationError }>();
    for (const item of answer.integrations) {
      const descriptor = this.options.registry.find(({ info }) => info.id === item.id);
      if (!descriptor) continue;
      const parsed = descriptor.info
        .adminSettingsSchema(this.options.policy)
        .safeParse(item.settings);
      if (parsed.success) {
        enabled.set(item.id, { settings: parsed.data });
        continue;
      }
      const reason = parsed.error.issues[0]?.message ?? 'they do not have the expected form';
      const error = workstationError(
        'unavailable',
        `Your organisation's token store sent ${descriptor.info.name} settings Workstation does not accept: ${reason} Ask your administrator to check the ${descriptor.info.name} settings.`,
      );
      const previous = this.#enabled?.get(item.id);
      if (!previous || !('refused' in previous) || previous.refused.message !== error.message)
        this.options.logger.warn(
          { integration: item.id, reason },
          'token store sent settings that are not accepted; not using them',
        );
      enabled.set(item.id, { refused: error });
    }
    // A changed target drops the clients built on the old one.
    for (const [sourceId, connection] of this.#live) {
      if (
        !this.#allowed(
          { integration: connection.descriptor.info.id, ...connection.target },
          enabled,
        )
      )
        this.#live.delete(sourceId);
    }
    return enabled;
  }
}
