import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate } from './migrations';
import { SqliteDriver } from './sqlite-driver';
import { TokenStoreRepository, type AuditRecord } from './token-store-repository';

const record = (requestId: string): AuditRecord => ({
  tenantId: 't',
  actorId: 'reader',
  action: 'blob.read',
  integration: 'dynamics',
  connection: 'default',
  deviceId: 'd',
  targetUserId: null,
  outcome: 200,
  requestId,
});

describe('audit ids', () => {
  it('grow in the order records are written, across batches and within one millisecond', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ws-audit-ids-'));
    const db = new SqliteDriver(join(dir, 'store.sqlite'));
    try {
      await migrate(db);
      const repository = new TokenStoreRepository(db);
      const at = Date.now();
      for (let batch = 0; batch < 5; batch += 1)
        await repository.auditMany(
          Array.from({ length: 40 }, (_, index) => ({
            record: record(String(batch * 40 + index).padStart(4, '0')),
            at,
          })),
        );
      const written = await db.all<{ id: string; request_id: string }>(
        'SELECT id, request_id FROM audit_log ORDER BY request_id',
      );
      expect(written).toHaveLength(200);
      const ids = written.map((row) => row.id);
      // Inserts land at the right edge of the primary key's index only if each id sorts after the last.
      expect([...ids].sort()).toEqual(ids);
      expect(new Set(ids).size).toBe(200);
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
