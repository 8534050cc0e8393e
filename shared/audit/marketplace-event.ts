import { hashChainLink, type Actor, type Via } from './audit-event';

/**
 * An audit event about a marketplace rather than one ticket, such as an auditor's export.
 * Each marketplace has its own chain of them in the audit table (`pk` = `MARKETPLACE#<id>`),
 * numbered and hash-chained exactly like a ticket's events, appended under the same
 * add-only grant, and found by the same indexes (by marketplace, by actor, in time order).
 */
export interface MarketplaceAuditEvent {
  readonly chain: 'marketplace';
  readonly marketplace: string;
  /** 1, 2, 3, … per marketplace, without gaps. */
  readonly seq: number;
  readonly at: string;
  readonly actor: Actor;
  readonly via: Via;
  readonly action: string;
  /** What the event is about, e.g. an export's range, filters, event count and content hash. */
  readonly details: Readonly<Record<string, unknown>>;
  readonly prevHash: string;
  readonly hash: string;
}

/** Builds the next event of a marketplace's chain, with its hash. */
export function chainMarketplaceEvent(fields: Omit<MarketplaceAuditEvent, 'hash'>): MarketplaceAuditEvent {
  return { ...fields, hash: hashChainLink(fields) };
}
