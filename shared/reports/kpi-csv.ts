import { csvField } from '@shared/audit/export-format';
import type { KpiRow } from './kpi-report';

/** A row's figures as flat columns: `firstResponse.onTime.numerator` and so on. */
function flatten(value: unknown, prefix: string, into: Map<string, unknown>): void {
  if (value !== null && typeof value === 'object') {
    for (const [name, inner] of Object.entries(value)) flatten(inner, prefix ? `${prefix}.${name}` : name, into);
  } else {
    into.set(prefix, value);
  }
}

/**
 * The report's rows as CSV (RFC 4180), a header row first. The columns are the union over
 * the rows (return types and outcomes appear once seen), in the order first met.
 */
export function kpiCsv(rows: readonly KpiRow[]): string {
  const flat = rows.map((row) => {
    const columns = new Map<string, unknown>();
    flatten(row, '', columns);
    return columns;
  });
  const header: string[] = [];
  const seen = new Set<string>();
  for (const columns of flat) for (const name of columns.keys()) if (!seen.has(name)) seen.add(name), header.push(name);
  const lines = [header.join(','), ...flat.map((columns) => header.map((name) => csvField(columns.get(name))).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}
