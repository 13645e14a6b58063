import { randomBytes } from 'node:crypto';
import type { Audience, AuditEntry, IntegrationSettings } from '../../src-shared/tokenstore/api';
import type { SqlDriver } from './sql-driver';

/** Who is asking: identity is tenant + object id, never an email. */
export interface Caller {
  readonly tid: string;
  readonly oid: string;
  readonly groups: readonly string[];
}

export interface StoredBlob {
  readonly blob: string;
  readonly version: string;
  readonly updatedAt: number;
}

export interface IntegrationConfig {
  readonly id: string;
  readonly enabled: boolean;
  readonly audience: Audience;
  readonly settings: IntegrationSettings;
  readonly updatedAt: number;
}

export type AuditRecord = Omit<AuditEntry, 'id' | 'at'>;

type WriteOutcome = { readonly ok: true; readonly version: string; readonly updatedAt: number } | { readonly ok: false };

const newVersion = () => randomBytes(12).toString('base64url');

/** Whether `caller` is in `audience` (group membership as the caller's token states it). */
export function inAudience(audience: Audience, caller: Pick<Caller, 'oid' | 'groups'>): boolean {
  switch (audience.kind) {
    case 'all':
      return true;
    case 'users':
      return audience.users.some((user) => user.toLowerCase() === caller.oid.toLowerCase());
    case 'groups':
      return audience.groups.some((group) => caller.groups.some((mine) => mine.toLowerCase() === group.toLowerCase()));
  }
}

/**
 * How long a tenant's integration settings are reused before being read again. Changes made through
 * this instance apply at once; another instance behind the same database sees them within this time.
 */
const SETTINGS_TTL_MS = 2_000;

/** Every query the store makes; each one scoped by tenant. */
export class TokenStoreRepository {
  readonly #settings = new Map<string, { configs: IntegrationConfig[]; readAt: number }>();

  constructor(private readonly db: SqlDriver) {}

  async getBlob(caller: Caller, integration: string, deviceId: string): Promise<StoredBlob | undefined> {
    const rows = await this.db.all<{ blob: string; version: string; updated_at: number | string }>(
      'SELECT blob, version, updated_at FROM blobs WHERE tid = ? AND oid = ? AND integration = ? AND device_id = ?',
      [caller.tid, caller.oid, integration, deviceId],
    );
    const row = rows[0];
    return row ? { blob: row.blob, version: row.version, updatedAt: Number(row.updated_at) } : undefined;
  }

  /** Creates the blob only if none exists (`If-None-Match: *`); one statement, so races are safe. */
  async createBlob(caller: Caller, integration: string, deviceId: string, blob: string, now: number): Promise<WriteOutcome> {
    const version = newVersion();
    const { changes } = await this.db.run(
      'INSERT INTO blobs (tid, oid, integration, device_id, blob, version, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tid, oid, integration, device_id) DO NOTHING',
      [caller.tid, caller.oid, integration, deviceId, blob, version, now],
    );
    return changes === 1 ? { ok: true, version, updatedAt: now } : { ok: false };
  }

  /** Overwrites the blob only if its version is still `expected` (`If-Match`): compare-and-swap. */
  async replaceBlob(caller: Caller, integration: string, deviceId: string, blob: string, expected: string, now: number): Promise<WriteOutcome> {
    const version = newVersion();
    const { changes } = await this.db.run(
      'UPDATE blobs SET blob = ?, version = ?, updated_at = ? WHERE tid = ? AND oid = ? AND integration = ? AND device_id = ? AND version = ?',
      [blob, version, now, caller.tid, caller.oid, integration, deviceId, expected],
    );
    return changes === 1 ? { ok: true, version, updatedAt: now } : { ok: false };
  }

  async deleteBlob(caller: Caller, integration: string, deviceId: string): Promise<boolean> {
    const { changes } = await this.db.run('DELETE FROM blobs WHERE tid = ? AND oid = ? AND integration = ? AND device_id = ?', [
      caller.tid,
      caller.oid,
      integration,
      deviceId,
    ]);
    return changes > 0;
  }

  /** Deletes a user's blobs (all integrations, or one). */
  async deleteUserBlobs(tid: string, oid: string, integration?: string): Promise<number> {
    const { changes } = integration
      ? await this.db.run('DELETE FROM blobs WHERE tid = ? AND oid = ? AND integration = ?', [tid, oid, integration])
      : await this.db.run('DELETE FROM blobs WHERE tid = ? AND oid = ?', [tid, oid]);
    return changes;
  }

  /** Remembers the caller's groups as of this request, so audience changes can revoke by group. */
  async recordPrincipal(caller: Caller, now: number): Promise<void> {
    await this.db.run(
      'INSERT INTO principals (tid, oid, groups, seen_at) VALUES (?, ?, ?, ?) ON CONFLICT (tid, oid) DO UPDATE SET groups = excluded.groups, seen_at = excluded.seen_at',
      [caller.tid, caller.oid, JSON.stringify(caller.groups), now],
    );
  }

  async getIntegration(tid: string, integration: string): Promise<IntegrationConfig | undefined> {
    return (await this.listIntegrations(tid)).find((config) => config.id === integration);
  }

  async listIntegrations(tid: string): Promise<IntegrationConfig[]> {
    const cached = this.#settings.get(tid);
    if (cached && Date.now() - cached.readAt < SETTINGS_TTL_MS) return cached.configs;
    const configs = await this.#readIntegrations(tid);
    this.#settings.set(tid, { configs, readAt: Date.now() });
    return configs;
  }

  async #readIntegrations(tid: string): Promise<IntegrationConfig[]> {
    const rows = await this.db.all<{ integration: string; enabled: number; audience_kind: Audience['kind']; settings: string; updated_at: number | string }>(
      'SELECT integration, enabled, audience_kind, settings, updated_at FROM integrations WHERE tid = ? ORDER BY integration',
      [tid],
    );
    const members = await this.db.all<{ integration: string; member_kind: 'user' | 'group'; member_id: string }>(
      'SELECT integration, member_kind, member_id FROM integration_members WHERE tid = ? ORDER BY member_id',
      [tid],
    );
    return rows.map((row) => {
      const mine = members.filter((member) => member.integration === row.integration);
      const audience: Audience =
        row.audience_kind === 'users'
          ? { kind: 'users', users: mine.filter((m) => m.member_kind === 'user').map((m) => m.member_id) }
          : row.audience_kind === 'groups'
            ? { kind: 'groups', groups: mine.filter((m) => m.member_kind === 'group').map((m) => m.member_id) }
            : { kind: 'all' };
      return { id: row.integration, enabled: Number(row.enabled) === 1, audience, settings: JSON.parse(row.settings) as IntegrationSettings, updatedAt: Number(row.updated_at) };
    });
  }

  /**
   * Saves an integration's configuration and deletes the blobs of every user it no longer admits
   * (by user id, or by the groups their last token carried): revocation takes effect at once.
   */
  async setIntegration(tid: string, actor: string, id: string, config: Omit<IntegrationConfig, 'id' | 'updatedAt'>, now: number): Promise<number> {
    this.#settings.delete(tid);
    return this.db.transaction(async (tx) => {
      await tx.run(
        'INSERT INTO integrations (tid, integration, enabled, audience_kind, settings, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?) ' +
          'ON CONFLICT (tid, integration) DO UPDATE SET enabled = excluded.enabled, audience_kind = excluded.audience_kind, settings = excluded.settings, updated_at = excluded.updated_at, updated_by = excluded.updated_by',
        [tid, id, config.enabled ? 1 : 0, config.audience.kind, JSON.stringify(config.settings), now, actor],
      );
      await tx.run('DELETE FROM integration_members WHERE tid = ? AND integration = ?', [tid, id]);
      const members = config.audience.kind === 'users' ? config.audience.users.map((m) => ['user', m]) : config.audience.kind === 'groups' ? config.audience.groups.map((m) => ['group', m]) : [];
      for (const [kind, member] of members) {
        await tx.run('INSERT INTO integration_members (tid, integration, member_kind, member_id) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING', [tid, id, kind, member]);
      }
      if (!config.enabled) return (await tx.run('DELETE FROM blobs WHERE tid = ? AND integration = ?', [tid, id])).changes;
      if (config.audience.kind === 'all') return 0;
      const owners = await tx.all<{ oid: string; groups: string | null }>(
        'SELECT DISTINCT b.oid, p.groups FROM blobs b LEFT JOIN principals p ON p.tid = b.tid AND p.oid = b.oid WHERE b.tid = ? AND b.integration = ?',
        [tid, id],
      );
      let deleted = 0;
      for (const owner of owners) {
        const groups = owner.groups ? (JSON.parse(owner.groups) as string[]) : [];
        if (!inAudience(config.audience, { oid: owner.oid, groups })) {
          deleted += (await tx.run('DELETE FROM blobs WHERE tid = ? AND oid = ? AND integration = ?', [tid, owner.oid, id])).changes;
        }
      }
      return deleted;
    });
  }

  /** Appends audit records in one transaction. */
  async auditMany(entries: readonly { record: AuditRecord; at: number }[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const { record, at } of entries) {
        await tx.run(
          'INSERT INTO audit_log (id, at, tid, actor, action, integration, device_id, target, outcome, request_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
          [randomBytes(12).toString('base64url'), at, record.tenantId, record.actorId, record.action, record.integration, record.deviceId, record.targetUserId, record.outcome, record.requestId],
        );
      }
    });
  }

  /** A page of the tenant's audit log, newest first; `before` is the cursor `<at>:<id>` of the last entry seen. */
  async readAudit(tid: string, limit: number, before?: { at: number; id: string }): Promise<AuditEntry[]> {
    const rows = await this.db.all<{ id: string; at: number | string; tid: string; actor: string; action: AuditEntry['action']; integration: string | null; device_id: string | null; target: string | null; outcome: number; request_id: string }>(
      before
        ? 'SELECT * FROM audit_log WHERE tid = ? AND (at < ? OR (at = ? AND id < ?)) ORDER BY at DESC, id DESC LIMIT ?'
        : 'SELECT * FROM audit_log WHERE tid = ? ORDER BY at DESC, id DESC LIMIT ?',
      before ? [tid, before.at, before.at, before.id, limit] : [tid, limit],
    );
    return rows.map((row) => ({
      id: row.id,
      at: new Date(Number(row.at)).toISOString(),
      tenantId: row.tid,
      actorId: row.actor,
      action: row.action,
      integration: row.integration,
      deviceId: row.device_id,
      targetUserId: row.target,
      outcome: Number(row.outcome),
      requestId: row.request_id,
    }));
  }
}
