import { createHash } from 'node:crypto';
import type { Actor } from '@shared/audit/audit-event';

/**
 * The conversation of a ticket. A message's text is kept in the messages table, never in the
 * audit trail: the audit event that records the message holds its SHA-256 and length
 * ({@link MessageDigest}), so the chain proves what was said, and the text alone can be
 * erased on request (PIPL) without breaking any chain.
 *
 * - `complaint`: the customer's description, from `complaint.created`
 * - `customer_reply`: from `complaint.customer_replied`
 * - `reply`: an agent's `respond`, `handle`, `resolve` or `await_customer` message, public:
 *   the marketplace receives it as a signed `ticket.message` callback to pass on
 * - `note`: internal, never sent; shown only to agents, managers and admins
 */
export type MessageKind = 'complaint' | 'customer_reply' | 'reply' | 'note';
export type MessageVisibility = 'public' | 'internal';

/** What replaces an erased text. */
export const ERASED_TEXT = '[erased]';

/** A message as a change of the ticket brings it (the repository stores and audits it). */
export interface NewMessage {
  readonly kind: MessageKind;
  readonly text: string;
  /** When it was said, if not when it was recorded (a customer reply's `occurredAt`). */
  readonly saidAt?: string;
}

/** What the audit event holds of a message: enough to prove its text, not the text. */
export interface MessageDigest {
  readonly id: string;
  readonly kind: MessageKind;
  readonly visibility: MessageVisibility;
  readonly sha256: string;
  /** Length in UTF-8 bytes. */
  readonly length: number;
}

export interface Message {
  readonly id: string;
  readonly ticketId: string;
  readonly marketplace: string;
  /** The audit sequence number of the change that recorded it: the conversation's order. */
  readonly seq: number;
  readonly kind: MessageKind;
  readonly visibility: MessageVisibility;
  readonly author: Actor;
  readonly text: string;
  readonly sha256: string;
  readonly length: number;
  readonly saidAt: string;
  readonly recordedAt: string;
  readonly erasedAt?: string;
  readonly erasedBy?: Actor;
}

export const visibilityOf = (kind: MessageKind): MessageVisibility => (kind === 'note' ? 'internal' : 'public');

/** The id of the message recorded by a ticket's audit event `seq`. */
export const messageIdFor = (ticketId: string, seq: number) => `${ticketId}.m${seq}`;

export function digestOf(id: string, message: NewMessage): MessageDigest {
  return {
    id,
    kind: message.kind,
    visibility: visibilityOf(message.kind),
    sha256: createHash('sha256').update(message.text, 'utf8').digest('hex'),
    length: Buffer.byteLength(message.text, 'utf8'),
  };
}

/** The customer's words a marketplace event carries: the complaint's description, a reply. */
export function messageOfEvent(event: { readonly type: string; readonly occurredAt: string; readonly data: object }): NewMessage | undefined {
  const data = event.data as { description?: string; message?: string };
  if (event.type === 'complaint.created' && data.description) return { kind: 'complaint', text: data.description, saidAt: event.occurredAt };
  if (event.type === 'complaint.customer_replied' && data.message) return { kind: 'customer_reply', text: data.message, saidAt: event.occurredAt };
  return undefined;
}
