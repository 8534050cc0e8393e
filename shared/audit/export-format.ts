import { canonicalJson } from './canonical-json';
import { isMarketplaceEvent, type AuditRecord } from './audit-record';
import type { ExportFormat } from './audit-query-params';

/** CSV columns: one per field of a record; nested values (changes, details) as JSON. */
export const CSV_COLUMNS = ['at', 'marketplace', 'chain', 'ticketId', 'seq', 'actorType', 'actorId', 'via', 'action', 'reason', 'changes', 'details', 'prevHash', 'hash'] as const;

/** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
export function csvField(value: unknown): string {
  const text = value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvRow(record: AuditRecord): string {
  const marketplaceEvent = isMarketplaceEvent(record);
  const row: Record<(typeof CSV_COLUMNS)[number], unknown> = {
    at: record.at,
    marketplace: record.marketplace,
    chain: marketplaceEvent ? 'marketplace' : 'ticket',
    ticketId: marketplaceEvent ? '' : record.ticketId,
    seq: record.seq,
    actorType: record.actor.type,
    actorId: record.actor.id,
    via: record.via,
    action: record.action,
    reason: marketplaceEvent ? '' : record.reason,
    changes: marketplaceEvent ? '' : record.changes,
    details: marketplaceEvent ? record.details : '',
    prevHash: record.prevHash,
    hash: record.hash,
  };
  return CSV_COLUMNS.map((column) => csvField(row[column])).join(',');
}

/**
 * The lines of an export: NDJSON (one record per line, canonical JSON, exactly as hashed so a
 * reader can recompute each hash) or CSV with a header row.
 */
export function exportLines(format: ExportFormat, records: readonly AuditRecord[]): string[] {
  if (format === 'ndjson') return records.map((record) => canonicalJson(record));
  return [CSV_COLUMNS.join(','), ...records.map(csvRow)];
}

export const EXPORT_CONTENT_TYPES: Readonly<Record<ExportFormat, string>> = {
  ndjson: 'application/x-ndjson',
  csv: 'text/csv; charset=utf-8',
};
