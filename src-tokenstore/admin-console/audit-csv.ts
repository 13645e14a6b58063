import type { AuditEntry } from '../../src-shared/tokenstore/api';
import { detailText } from './pages/audit-page';

const COLUMNS = [
  'time',
  'actor id',
  'actor',
  'action',
  'integration',
  'connection',
  'device',
  'target user id',
  'target user',
  'outcome',
  'request id',
  'before/after',
] as const;

/**
 * One CSV field (RFC 4180: quoted, quotes doubled). A field a spreadsheet would read as a formula
 * (starting with =, +, -, @, tab or carriage return) gets a leading apostrophe, as OWASP advises:
 * https://owasp.org/www-community/attacks/CSV_Injection.
 */
export function csvField(value: string): string {
  const defused = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${defused.replace(/"/g, '""')}"`;
}

/** The audit entries as CSV, people named beside their ids. */
export function auditCsv(
  entries: readonly AuditEntry[],
  nameOf: (oid: string | null) => string,
): string {
  const lines = [COLUMNS.map(csvField).join(',')];
  for (const entry of entries)
    lines.push(
      [
        entry.at,
        entry.actorId,
        nameOf(entry.actorId),
        entry.action,
        entry.integration ?? '',
        entry.connection ?? '',
        entry.deviceId ?? '',
        entry.targetUserId ?? '',
        nameOf(entry.targetUserId),
        String(entry.outcome),
        entry.requestId,
        detailText(entry),
      ]
        .map(csvField)
        .join(','),
    );
  return `${lines.join('\r\n')}\r\n`;
}
