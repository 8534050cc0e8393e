import { breachOf } from '@shared/sla/breach';
import { dueAfter } from '@shared/sla/policy';
import type { Deadline, DeadlineName, ReturnDecision, ReturnOutcome, ReturnRequest, Ticket, TicketStage } from '@shared/tickets/ticket';
import { checkEligibility } from './eligibility';
import { DEFAULT_RETURN_POLICY, type ReturnPolicy } from './policy';

/**
 * The return workflow's moves, pure: each takes the ticket and the time and answers with the
 * change to write. Stages (the ticket's `stage`):
 *
 * requested ─approve / silence─▶ awaiting_shipment ─return.shipped─▶ awaiting_receipt ─receipt / silence─▶
 *   refund_due ─refund.completed─▶ awaiting_survey ─answer / window end─▶ closed
 *   (refund-only: approval goes straight to refund_due; exchange: receipt → awaiting_replacement,
 *   repair: → awaiting_repair, then awaiting_delivery until the item reaches the buyer)
 * requested ─reject / ineligible─▶ rejected ─intervention─▶ intervention ─uphold / overturn─▶ closed / approved
 * a failed inspection after receipt ─▶ inspection_failed ─uphold / overturn─▶ closed / back
 *
 * Marketplace events only record facts; {@link followFacts} moves the stage as far as the
 * facts allow, so events that arrive early (a shipment before the approval) take effect when
 * the stage reaches them.
 */

/** Escalation tier of managers: failed inspections and intervention requests go there. */
export const MANAGER_TIER = 2;

/** What the return workflow waits for at a stage. */
export type ReturnStep =
  | 'decision'
  | 'buyerShipment'
  | 'receipt'
  | 'refund'
  | 'replacement'
  | 'repair'
  | 'delivery'
  | 'inspectionReview'
  | 'intervention'
  | 'interventionReview'
  | 'survey';
export const RETURN_STEPS = [
  'decision',
  'buyerShipment',
  'receipt',
  'refund',
  'replacement',
  'repair',
  'delivery',
  'inspectionReview',
  'intervention',
  'interventionReview',
  'survey',
] as const satisfies readonly ReturnStep[];

interface ReturnStageRule {
  readonly awaits: ReturnStep;
  /** The time limit running at this stage, if any. */
  readonly limit?: DeadlineName;
}

export const RETURN_STAGES: Readonly<Partial<Record<TicketStage, ReturnStageRule>>> = {
  requested: { awaits: 'decision', limit: 'merchantDecision' },
  awaiting_shipment: { awaits: 'buyerShipment', limit: 'buyerShipment' },
  awaiting_receipt: { awaits: 'receipt', limit: 'merchantReceipt' },
  refund_due: { awaits: 'refund', limit: 'refund' },
  awaiting_replacement: { awaits: 'replacement' },
  awaiting_repair: { awaits: 'repair' },
  awaiting_delivery: { awaits: 'delivery' },
  inspection_failed: { awaits: 'inspectionReview' },
  rejected: { awaits: 'intervention', limit: 'interventionWindow' },
  intervention: { awaits: 'interventionReview' },
  awaiting_survey: { awaits: 'survey' },
};

/** The buyer's windows: their end moves the case on, and is not the merchant's breach. */
export const BUYER_WINDOWS: readonly DeadlineName[] = ['buyerShipment', 'interventionWindow'];

/** Stages after receipt at which an inspection may still fail. */
const INSPECTABLE_STAGES: readonly TicketStage[] = ['refund_due', 'awaiting_replacement', 'awaiting_repair'];

/** Stages at which a completed refund settles the case, whatever step it was at. */
const REFUND_SETTLES: readonly TicketStage[] = ['requested', 'awaiting_shipment', 'awaiting_receipt', 'refund_due', 'inspection_failed', 'rejected', 'intervention'];

const policyOf = (ticket: Ticket): ReturnPolicy => ticket.returnPolicy ?? DEFAULT_RETURN_POLICY;

/** The fields of a new return ticket: the policy recorded, eligibility checked, the first limit running. */
export function openReturnCase(request: ReturnRequest, policy: ReturnPolicy, receivedAt: string): Pick<Ticket, 'stage' | 'deadlines' | 'returnPolicy'> & Partial<Ticket> {
  const eligibility = checkEligibility(request, policy, receivedAt);
  if (!eligibility.eligible) {
    return {
      stage: 'rejected',
      returnPolicy: policy,
      returnDecision: { outcome: 'rejected', by: 'policy', at: receivedAt, reason: eligibility.reason, rule: eligibility.rule },
      deadlines: { interventionWindow: { dueAt: dueAfter(receivedAt, policy.interventionSeconds) } },
    };
  }
  return { stage: 'requested', returnPolicy: policy, deadlines: { merchantDecision: { dueAt: dueAfter(receivedAt, policy.merchantDecisionSeconds) } } };
}

/** Approved (by the merchant, by silence, or by a manager overturning a rejection): the buyer ships, or the refund is due. */
export function approveReturn(ticket: Ticket, now: string, by: ReturnDecision['by'], reason?: string): Partial<Ticket> {
  const policy = policyOf(ticket);
  const deadlines = meet(ticket.deadlines, ['merchantDecision', 'interventionWindow'], now);
  const returnDecision: ReturnDecision = { outcome: 'approved', by, at: now, ...(reason ? { reason } : {}) };
  const next: Partial<Ticket> =
    ticket.returnRequest?.requestType === 'refund_only'
      ? { stage: 'refund_due', deadlines: { ...deadlines, refund: { dueAt: dueAfter(now, policy.refundSeconds) } } }
      : { stage: 'awaiting_shipment', deadlines: { ...deadlines, buyerShipment: { dueAt: dueAfter(now, policy.buyerShipmentSeconds) } } };
  const approved = { ...next, returnDecision };
  return { ...approved, ...followFacts({ ...ticket, ...approved }, now) };
}

/** Rejected by the merchant: the buyer may ask the platform to intervene within the window. */
export function rejectReturn(ticket: Ticket, now: string, reason: string): Partial<Ticket> {
  return {
    stage: 'rejected',
    returnDecision: { outcome: 'rejected', by: 'merchant', at: now, reason },
    deadlines: {
      ...meet(ticket.deadlines, ['merchantDecision'], now),
      interventionWindow: { dueAt: dueAfter(now, policyOf(ticket).interventionSeconds) },
    },
  };
}

/** A manager's final word on an intervention request or a failed inspection. */
export function reviewReturn(ticket: Ticket, now: string, verdict: 'uphold' | 'overturn', reason: string): Partial<Ticket> {
  if (verdict === 'uphold') {
    return close(ticket, now, 'rejected');
  }
  if (ticket.stage === 'intervention') return approveReturn(ticket, now, 'platform', reason);
  // A failed inspection overruled: back to the step it interrupted, with its limits as they were.
  const back: Partial<Ticket> = { stage: ticket.reviewOf ?? 'refund_due', reviewOf: undefined, inspectionOverruledAt: now };
  return { ...back, ...followFacts({ ...ticket, ...back }, now) };
}

/**
 * A merchant's limit passed (the breach itself is recorded by the caller): silence on the
 * request approves it; no receipt confirmed makes the refund due at once; a late refund
 * stays due.
 */
export function onMerchantBreach(ticket: Ticket, limit: DeadlineName, now: string): Partial<Ticket> {
  if (limit === 'merchantDecision' && ticket.stage === 'requested') return approveReturn(ticket, now, 'deadline');
  if (limit === 'merchantReceipt' && ticket.stage === 'awaiting_receipt') {
    return { stage: 'refund_due', deadlines: { ...ticket.deadlines, refund: { dueAt: dueAfter(now, policyOf(ticket).refundSeconds) } } };
  }
  return {};
}

/** A change to write, with the audit action and reason it is recorded under. */
export interface ReturnMove {
  readonly change: Partial<Ticket>;
  readonly audit: string;
  readonly reason: string;
}

/**
 * A merchant's limit passed with its step not done: the breach recorded, the ticket escalated
 * as a breach does, and its consequence applied ({@link onMerchantBreach}). Undefined when
 * the limit is not running any more (met in time, or the breach already recorded).
 */
export function recordReturnBreach(ticket: Ticket, limit: DeadlineName, now: string): ReturnMove | undefined {
  const breach = breachOf(ticket, limit, now);
  if (!breach) return undefined;
  const consequence = onMerchantBreach({ ...ticket, ...breach.change }, limit, now);
  const note = consequence.returnDecision?.by === 'deadline' ? '; the request is approved by silence' : consequence.stage === 'refund_due' ? '; the refund is due now' : '';
  return {
    change: { ...breach.change, ...consequence },
    audit: 'sla.breached',
    reason: `${limit} was due at ${ticket.deadlines[limit]!.dueAt}; ${breach.lateBySeconds} s late${note}`,
  };
}

/** The end of a buyer's window as a move: undefined when the buyer's event moved the case on first. */
export function closeBuyerWindow(ticket: Ticket, window: DeadlineName, now: string): ReturnMove | undefined {
  const change = onWindowEnd(ticket, window, now);
  if (!change.stage) return undefined;
  return change.outcome === 'abandoned'
    ? { change, audit: 'return.abandoned', reason: 'the buyer did not ship the return within the shipment window' }
    : { change, audit: 'return.rejection_final', reason: 'the buyer did not ask for platform intervention within the window' };
}

/** A buyer's window ended: no shipment abandons the request; no intervention makes the rejection final. */
export function onWindowEnd(ticket: Ticket, window: DeadlineName, now: string): Partial<Ticket> {
  if (window === 'buyerShipment' && ticket.stage === 'awaiting_shipment') return close(ticket, now, 'abandoned');
  if (window === 'interventionWindow' && ticket.stage === 'rejected') return close(ticket, now, 'rejected');
  return {};
}

/**
 * Moves the stage as far as the recorded facts allow. Pure and idempotent: applied after
 * every event and action, so facts that arrived early take effect when their stage comes.
 */
export function followFacts(ticket: Ticket, now: string): Partial<Ticket> {
  let current = ticket;
  // Each move leaves its stage for a later one, so the loop ends; the bound is a guard.
  for (let moves = 0; moves < 10; moves += 1) {
    const step = nextMove(current, now);
    if (!step) break;
    current = { ...current, ...step };
  }
  return pickChanged(ticket, current);
}

function nextMove(ticket: Ticket, now: string): Partial<Ticket> | undefined {
  const { facts, stage } = ticket;
  const policy = policyOf(ticket);
  if (facts.refund && REFUND_SETTLES.includes(stage)) return settle(ticket, now, 'refunded');
  if (stage === 'awaiting_shipment' && facts.shipment) {
    return {
      stage: 'awaiting_receipt',
      deadlines: { ...meet(ticket.deadlines, ['buyerShipment'], now), merchantReceipt: { dueAt: dueAfter(now, policy.merchantReceiptSeconds) } },
    };
  }
  if (stage === 'awaiting_receipt' && facts.receivedAt) {
    const deadlines = meet(ticket.deadlines, ['merchantReceipt'], now);
    switch (ticket.returnRequest?.requestType) {
      case 'exchange':
        return { stage: 'awaiting_replacement', deadlines };
      case 'repair':
        return { stage: 'awaiting_repair', deadlines };
      default:
        return { stage: 'refund_due', deadlines: { ...deadlines, refund: { dueAt: dueAfter(now, policy.refundSeconds) } } };
    }
  }
  if (INSPECTABLE_STAGES.includes(stage) && facts.inspection && !facts.inspection.passed && !ticket.inspectionOverruledAt) {
    return { stage: 'inspection_failed', reviewOf: stage, escalationTier: Math.max(ticket.escalationTier, MANAGER_TIER), assignee: undefined };
  }
  if ((stage === 'awaiting_replacement' || stage === 'awaiting_repair') && facts.redelivery) return { stage: 'awaiting_delivery' };
  if (stage === 'awaiting_delivery' && facts.deliveredToBuyerAt) {
    return settle(ticket, now, ticket.returnRequest?.requestType === 'repair' ? 'repaired' : 'exchanged');
  }
  // A survey answer that came before the settlement closes the case as soon as it settles.
  if (stage === 'awaiting_survey' && facts.survey) return { stage: 'closed', closedAt: now };
  if (stage === 'rejected' && facts.intervention) {
    return {
      stage: 'intervention',
      deadlines: meet(ticket.deadlines, ['interventionWindow'], now),
      escalationTier: Math.max(ticket.escalationTier, MANAGER_TIER),
      assignee: undefined,
    };
  }
  return undefined;
}

/** Settled for the buyer: every limit still running is met, and the survey goes out. */
function settle(ticket: Ticket, now: string, outcome: ReturnOutcome): Partial<Ticket> {
  return { stage: 'awaiting_survey', outcome, surveySentAt: now, deadlines: meet(ticket.deadlines, Object.keys(ticket.deadlines) as DeadlineName[], now) };
}

/** Closed without a survey: abandoned, or rejected for good. */
function close(ticket: Ticket, now: string, outcome: ReturnOutcome): Partial<Ticket> {
  return { stage: 'closed', outcome, closedAt: now, deadlines: meet(ticket.deadlines, Object.keys(ticket.deadlines) as DeadlineName[], now) };
}

/** The deadlines with `names` marked met at `now`, where still running. */
function meet(deadlines: Ticket['deadlines'], names: readonly DeadlineName[], now: string): Partial<Record<DeadlineName, Deadline>> {
  const next: Partial<Record<DeadlineName, Deadline>> = { ...deadlines };
  for (const name of names) {
    const deadline = next[name];
    if (deadline && !deadline.metAt && !deadline.breachedAt) next[name] = { ...deadline, metAt: now };
  }
  return next;
}

/** Top-level fields whose value differs between two versions of a ticket. */
function pickChanged(before: Ticket, after: Ticket): Partial<Ticket> {
  const changed: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(after)) {
    if ((before as unknown as Record<string, unknown>)[field] !== value) changed[field] = value;
  }
  return changed as Partial<Ticket>;
}
