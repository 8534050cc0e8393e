import type { Ticket } from '@shared/tickets/ticket';

/**
 * Callbacks to the marketplace: every decision and due action on a ticket, sent as signed
 * JSON to the marketplace's `callbackUrl`. They are kept on the ticket itself (an outbox),
 * added in the same transaction as the change that caused them, so a crash can never lose
 * one; the relay (`relay-callbacks`, every minute on the shared clock) queues those due, and
 * `deliver-callback` posts them and records each attempt on the ticket.
 */
export const CALLBACK_TYPES = [
  'complaint.resolved',
  'complaint.closed',
  'return.approved',
  'return.auto_approved',
  'return.rejected',
  'return.refund_due',
  'return.abandoned',
  'return.closed',
  // An agent's public reply, for the marketplace to pass on to the customer.
  'ticket.message',
  'survey.requested',
] as const;
export type CallbackType = (typeof CALLBACK_TYPES)[number];

/** What the marketplace receives. The delivery id is the same on every attempt, so it can dedupe. */
export interface CallbackBody {
  readonly deliveryId: string;
  readonly type: CallbackType;
  readonly occurredAt: string;
  readonly marketplace: string;
  readonly ticketId: string;
  /** The marketplace's own case reference and order. */
  readonly reference: string;
  readonly orderId: string;
  readonly stage: string;
  readonly outcome?: string;
  readonly decision?: { readonly by: string; readonly reason?: string; readonly rule?: string };
  /** For `return.refund_due`: when the refund must be paid. */
  readonly refundDueAt?: string;
  /**
   * For `ticket.message`: the reply. The outbox keeps only its id and time; the text is read
   * from the messages table when the callback is posted (an erased text goes out as the marker).
   */
  readonly message?: { readonly id: string; readonly at: string; readonly text?: string };
}

/**
 * A callback waiting in an outbox, with its delivery state: in a ticket's, or (for
 * `event.rejected`, see event-rejected.ts) on the rejected event's inbox item.
 */
export interface OutboundCallback<Body extends { readonly type: string } = CallbackBody> {
  readonly id: string;
  /**
   * What is posted. A ticket's outbox drops it once the callback is delivered: the marketplace
   * has it, the audit trail records the delivery, and the id still names the callback and its
   * type. The outbox keeps every callback of the ticket, and every write of the ticket carries
   * it, so a body kept after delivery would cost write units on each.
   */
  readonly body?: Body;
  /** Delivery attempts made so far. */
  readonly attempts: number;
  /** When the next attempt is due; absent once delivered or given up. */
  readonly nextAttemptAt?: string;
  readonly deliveredAt?: string;
  readonly gaveUpAt?: string;
  readonly lastError?: string;
}

/** A callback still to be posted (or just created): it has its body. */
export type PostableCallback<Body extends { readonly type: string } = CallbackBody> = OutboundCallback<Body> & { readonly body: Body };

/** The record a ticket's outbox keeps of a delivered callback: its body goes (see {@link OutboundCallback.body}). */
export function deliveredRecord<Body extends { readonly type: string }>(callback: OutboundCallback<Body>): OutboundCallback<Body> {
  const { body: _posted, ...record } = callback;
  return record;
}

/**
 * Pauses after each failed attempt: 1 min, 5 min, 15 min, 1 h, 2 h, 4 h, 8 h, 12 h — nine
 * attempts spread over some 27 hours, then the callback is given up (and stays on the ticket).
 */
export const CALLBACK_RETRY_SCHEDULE_SECONDS: readonly number[] = [60, 300, 900, 3600, 7200, 14_400, 28_800, 43_200];

/** Whether a callback still waits for an attempt. */
export const isPending = (callback: Pick<OutboundCallback, 'nextAttemptAt'>) => callback.nextAttemptAt !== undefined;

/**
 * The callbacks a change of a ticket causes, from the ticket before (undefined when it is
 * created) and after. Pure. `seq` is the audit sequence number of the change, which makes
 * each delivery id unique and the same however often the derivation runs.
 */
export function callbacksCausedBy(before: Ticket | undefined, after: Ticket, seq: number, now: string): PostableCallback[] {
  const types: CallbackType[] = [];
  const entered = (stage: string) => after.stage === stage && before?.stage !== stage;
  if (after.kind === 'complaint') {
    if (entered('resolved')) types.push('complaint.resolved');
    if (entered('awaiting_survey')) types.push('survey.requested');
    if (entered('closed')) types.push('complaint.closed');
  } else {
    const decision = after.returnDecision;
    if (decision && decision.at !== before?.returnDecision?.at) {
      types.push(decision.outcome === 'rejected' ? 'return.rejected' : decision.by === 'deadline' ? 'return.auto_approved' : 'return.approved');
    }
    if (entered('refund_due')) types.push('return.refund_due');
    if (after.outcome === 'abandoned' && before?.outcome !== 'abandoned') types.push('return.abandoned');
    if (entered('awaiting_survey')) types.push('survey.requested');
    if (entered('closed')) types.push('return.closed');
  }
  return types.map((type) => {
    const decision = after.returnDecision;
    return pendingCallback(after, `${after.id}:${seq}:${type}`, type, now, {
      ...(after.outcome ? { outcome: after.outcome } : {}),
      ...(decision && type.startsWith('return.') ? { decision: { by: decision.by, reason: decision.reason, rule: decision.rule } } : {}),
      ...(type === 'return.refund_due' && after.deadlines.refund ? { refundDueAt: after.deadlines.refund.dueAt } : {}),
    });
  });
}

/** The `ticket.message` callback of an agent's public reply (`message` being the reply as stored). */
export function messageCallback(ticket: Ticket, message: { readonly id: string; readonly saidAt: string }, now: string): PostableCallback {
  return pendingCallback(ticket, `${ticket.id}:${message.id}:ticket.message`, 'ticket.message', now, { message: { id: message.id, at: message.saidAt } });
}

/** A callback due now, its body the ticket's identity and stage with what is particular to its type. */
function pendingCallback(ticket: Ticket, id: string, type: CallbackType, now: string, particular: Partial<CallbackBody>): PostableCallback {
  return callbackDueNow<CallbackBody>(id, now, {
    type,
    marketplace: ticket.marketplace,
    ticketId: ticket.id,
    reference: ticket.externalRef,
    orderId: ticket.orderId,
    stage: ticket.stage,
    ...particular,
  });
}

/** A callback with no attempt made yet, due `now`; its body carries its delivery id and time. */
export function callbackDueNow<Body extends { readonly deliveryId: string; readonly type: string; readonly occurredAt: string }>(
  id: string,
  now: string,
  body: Omit<Body, 'deliveryId' | 'occurredAt'>,
): PostableCallback<Body> {
  const { type, ...particular } = body;
  return { id, attempts: 0, nextAttemptAt: now, body: { deliveryId: id, type, occurredAt: now, ...particular } as unknown as Body };
}

/** The earliest due attempt of a ticket's outbox, or undefined when nothing is pending. */
export function nextCallbackDue(callbacks: readonly OutboundCallback[] | undefined): string | undefined {
  return (callbacks ?? [])
    .filter(isPending)
    .map((callback) => callback.nextAttemptAt!)
    .sort()[0];
}
