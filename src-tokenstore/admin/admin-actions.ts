import { integrationCatalog, integrationInfo } from '../../src-shared/integrations/catalog';
import type { TargetPolicy } from '../../src-shared/integrations/integration-info';
import type {
  AdminIntegrationBody,
  AuditAction,
  AuditDetail,
} from '../../src-shared/tokenstore/api';
import type { AuditWriter } from '../db/audit-writer';
import type { IntegrationConfig, TokenStoreRepository } from '../db/token-store-repository';
import { issuesOf, type StoreIssues } from '../http/store-error';

/** Who acts, and under which request id the audit files it. */
export interface AdminActor {
  readonly tid: string;
  readonly oid: string;
  readonly requestId: string;
}

/** An admin action refused before anything changed, in the store's error terms. */
export interface AdminRefusal {
  readonly ok: false;
  readonly status: 400 | 404;
  readonly code: 'invalid_input' | 'not_found';
  readonly message: string;
  readonly issues?: StoreIssues;
}

export type AdminResult<T> = ({ readonly ok: true } & T) | AdminRefusal;

/** An integration's configuration as the audit records it (no timestamps: they differ every time). */
type ConfigState = Pick<IntegrationConfig, 'enabled' | 'audience' | 'settings'> | null;

const stateOf = (config: IntegrationConfig | undefined): ConfigState =>
  config ? { enabled: config.enabled, audience: config.audience, settings: config.settings } : null;

/**
 * The admin actions, shared by the JSON admin API and the console so both check, change and audit
 * alike. Each change takes effect in the repository's transaction (blobs of users no longer admitted
 * are deleted there: the store's revocation guarantee) and is audited with who, what, and the state
 * before and after it.
 */
export class AdminActions {
  constructor(
    private readonly repository: TokenStoreRepository,
    private readonly audit: AuditWriter,
    private readonly targetPolicy: TargetPolicy,
    private readonly now: () => number,
  ) {}

  /** Files one admin action in the audit log. */
  record(
    actor: AdminActor,
    action: AuditAction,
    extra: {
      readonly integration?: string;
      readonly target?: string;
      readonly outcome: number;
      readonly detail?: AuditDetail;
    },
  ): void {
    this.audit.write(
      {
        tenantId: actor.tid,
        actorId: actor.oid,
        action,
        integration: extra.integration ?? null,
        connection: null,
        deviceId: null,
        targetUserId: extra.target ?? null,
        outcome: extra.outcome,
        requestId: actor.requestId,
        ...(extra.detail ? { detail: extra.detail } : {}),
      },
      this.now(),
    );
  }

  /** The tenant's configured integrations (fresh from the database). */
  async integrations(tid: string): Promise<IntegrationConfig[]> {
    return this.repository.listIntegrations(tid);
  }

  /** The refusal for an id the catalog does not list, or undefined for a known one. */
  unknownIntegration(id: string): AdminRefusal | undefined {
    if (integrationInfo(id)) return undefined;
    const known = integrationCatalog.map((entry) => entry.id).join(', ');
    return {
      ok: false,
      status: 400,
      code: 'invalid_input',
      message: `That is not an integration Workstation offers; the known ones are ${known}.`,
      issues: [{ path: 'integration', message: `one of ${known}` }],
    };
  }

  /**
   * Enables or disables an integration, sets its audience and its settings (checked with the
   * catalog's schema; what it parsed is stored), and revokes whoever it no longer admits.
   */
  async setIntegration(
    actor: AdminActor,
    id: string,
    body: AdminIntegrationBody,
  ): Promise<AdminResult<{ settings: Record<string, unknown>; revokedBlobs: number }>> {
    const info = integrationInfo(id);
    if (!info) return this.unknownIntegration(id) as AdminRefusal;
    const parsed = info.adminSettingsSchema(this.targetPolicy).safeParse(body.settings);
    if (!parsed.success)
      return {
        ok: false,
        status: 400,
        code: 'invalid_input',
        message: `These ${info.name} settings are not accepted.`,
        issues: issuesOf(parsed.error, 'settings'),
      };
    const settings = { ...parsed.data };
    const before = stateOf(await this.#config(actor.tid, info.id));
    const after = { enabled: body.enabled, audience: body.audience, settings };
    const revokedBlobs = await this.repository.setIntegration(
      actor.tid,
      actor.oid,
      info.id,
      after,
      this.now(),
    );
    this.record(actor, 'admin.integration.set', {
      integration: info.id,
      outcome: 200,
      detail: { before, after },
    });
    return { ok: true, settings, revokedBlobs };
  }

  /** Disables an integration, keeping its audience and settings; every blob it held is deleted. */
  async disableIntegration(
    actor: AdminActor,
    id: string,
  ): Promise<AdminResult<{ revokedBlobs: number }>> {
    const before = stateOf(await this.#config(actor.tid, id));
    const revokedBlobs = await this.repository.disableIntegration(
      actor.tid,
      actor.oid,
      id,
      this.now(),
    );
    const after = stateOf(await this.#config(actor.tid, id));
    this.record(actor, 'admin.integration.disable', {
      integration: id,
      outcome: 200,
      detail: { before, after },
    });
    return { ok: true, revokedBlobs };
  }

  /** Deletes a user's blobs (every integration, or one) and bumps their revocation epoch. */
  async revokeUser(
    actor: AdminActor,
    oid: string,
    integration: string | undefined,
  ): Promise<AdminResult<{ deleted: number }>> {
    const user = oid.toLowerCase();
    const held = (await this.repository.connectedIntegrations(actor.tid)).filter(
      (use) => use.oid === user && (!integration || use.integration === integration),
    );
    const deleted = await this.repository.revokeUser(
      actor.tid,
      actor.oid,
      user,
      integration,
      this.now(),
    );
    this.record(actor, 'admin.user.revoke', {
      integration,
      target: user,
      outcome: 200,
      detail: {
        before: {
          connected: held.map((use) => ({
            integration: use.integration,
            connections: use.connections,
          })),
        },
        after: { connected: [], deletedBlobs: deleted },
      },
    });
    return { ok: true, deleted };
  }

  async #config(tid: string, id: string): Promise<IntegrationConfig | undefined> {
    return (await this.repository.listIntegrations(tid)).find((config) => config.id === id);
  }
}
