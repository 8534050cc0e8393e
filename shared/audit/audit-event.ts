import { createHash } from 'node:crypto';
import type { MessageDigest } from '@shared/conversation/message';
import { canonicalJson } from './canonical-json';

export type ActorType = 'system' | 'agent' | 'merchant' | 'manager' | 'auditor' | 'admin' | 'marketplace';

export interface Actor {
  readonly type: ActorType;
  readonly id: string;
}

export type Via = 'webhook' | 'api' | 'workflow';

export interface FieldChange {
  readonly field: string;
  readonly from: unknown;
  readonly to: unknown;
}

/** One entry of a ticket's audit trail. `hash` chains it to the event before it. */
export interface AuditEvent {
  readonly ticketId: string;
  readonly marketplace: string;
  /** 1, 2, 3, … per ticket, without gaps. */
  readonly seq: number;
  readonly at: string;
  readonly actor: Actor;
  readonly via: Via;
  readonly action: string;
  readonly changes: readonly FieldChange[];
  readonly reason?: string;
  /** The message this change recorded: its id, kind, SHA-256 and length, never its text (kept apart, erasable). */
  readonly message?: MessageDigest;
  /** Hash of the previous event of the ticket; the genesis value for the first. */
  readonly prevHash: string;
  readonly hash: string;
}

/** The `prevHash` of a ticket's first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** SHA-256 over the previous hash and the canonical JSON of the event (its own hash left out). */
export function hashAuditEvent(event: Omit<AuditEvent, 'hash'>): string {
  return hashChainLink(event);
}

/**
 * The hash of any hash-chained record (a ticket's audit event, a marketplace's own event):
 * SHA-256 over `prevHash` and the canonical JSON of every other field.
 */
export function hashChainLink(record: { readonly prevHash: string }): string {
  const { prevHash, ...body } = record;
  return createHash('sha256').update(prevHash).update(canonicalJson(body)).digest('hex');
}

/** Builds the next event of a chain, with its hash. */
export function chainAuditEvent(fields: Omit<AuditEvent, 'hash'>): AuditEvent {
  return { ...fields, hash: hashAuditEvent(fields) };
}
