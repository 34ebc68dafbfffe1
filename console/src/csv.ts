import type { AuditEvent } from './types';

/** RFC 4180 fields; a leading = + - @ is defused so a spreadsheet never runs a cell as a formula. */
export function csvField(value: string | undefined | null): string {
  let v = value ?? '';
  if (/^[=+\-@\t\r]/.test(v)) v = `'${v}`;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** The audit events on screen as CSV, for a monitor to copy. */
export function auditCsv(events: AuditEvent[]): string {
  const header = ['at', 'action', 'actor', 'actorRole', 'entityType', 'entityId', 'reason', 'details'];
  const lines = [header.join(',')];
  for (const e of events) {
    const details = Object.entries(e.details ?? {}).sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${k}=${v}`).join('; ');
    lines.push([e.at, e.action, e.actor, e.actorRole, e.entityType, e.entityId, e.reason, details].map(csvField).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}
