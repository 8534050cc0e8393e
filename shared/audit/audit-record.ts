import { z } from 'zod';
import type { AuditEvent } from './audit-event';
import type { MarketplaceAuditEvent } from './marketplace-event';

/** Anything the audit table holds: a ticket's event or a marketplace's own event. */
export type AuditRecord = AuditEvent | MarketplaceAuditEvent;

/** Whether a record is a marketplace's own event (an export), not a ticket's. */
export function isMarketplaceEvent(record: AuditRecord): record is MarketplaceAuditEvent {
  return 'chain' in record && record.chain === 'marketplace';
}

const actorSchema = z.object({ type: z.string(), id: z.string() });
const common = {
  marketplace: z.string(),
  seq: z.number().int(),
  at: z.string(),
  actor: actorSchema,
  via: z.string(),
  action: z.string(),
  prevHash: z.string(),
  hash: z.string(),
};
/**
 * The stored shape, checked on the way out: a record that no longer parses (hand-edited in
 * the table) is still returned as stored, because the chain check, not this parse, decides
 * whether it is trustworthy. Unknown fields are kept, since they are part of what was hashed.
 */
const storedSchema = z.union([
  z.object({ ...common, chain: z.literal('marketplace'), details: z.record(z.string(), z.unknown()) }).loose(),
  z.object({ ...common, ticketId: z.string(), changes: z.array(z.unknown()) }).loose(),
]);

/** Attributes the table adds for its keys and indexes, not part of the hashed record. */
const STORAGE_ATTRIBUTES = ['pk', 'sk', 'atKey', 'actorKey'];

/** A stored item without its key and index attributes, as the record that was hashed. */
export function recordFromItem(item: Record<string, unknown>): AuditRecord {
  const record = Object.fromEntries(Object.entries(item).filter(([name]) => !STORAGE_ATTRIBUTES.includes(name)));
  const parsed = storedSchema.safeParse(record);
  // A record edited past recognition still goes out as stored, typed by what it claims to be;
  // the chain verification reports it.
  return parsed.success ? (parsed.data as AuditRecord) : (record as unknown as AuditRecord);
}
