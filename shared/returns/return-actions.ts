import { z } from 'zod';
import { tierAfterBreach } from '@shared/sla/policy';
import type { Ticket, TicketStage } from '@shared/tickets/ticket';
import { approveReturn, BUYER_WINDOWS, followFacts, rejectReturn, RETURN_STAGES, reviewReturn } from './return-flow';

const expectedVersion = z.number().int().positive().optional();
const message = z.string().trim().min(1).max(10_000);
const trackingNumber = z.string().trim().min(1).max(64);

/**
 * Return actions of `POST /tickets/{id}/actions`. approve / reject (with the reason the buyer
 * reads): the merchant's decision; confirm_receipt: the returned parcel arrived; inspect:
 * passed, or failed with the reason and an evidence reference (to a manager); ship_replacement
 * / complete_repair: the replacement or the repaired item is on its way back; uphold /
 * overturn: a manager's final word on an intervention request or a failed inspection.
 */
export const returnActionSchemas = [
  z.strictObject({ type: z.literal('approve'), message: message.optional(), expectedVersion }),
  z.strictObject({ type: z.literal('reject'), message: message.describe('the reason, shown to the buyer'), expectedVersion }),
  z.strictObject({ type: z.literal('confirm_receipt'), message: message.optional(), expectedVersion }),
  z
    .strictObject({
      type: z.literal('inspect'),
      passed: z.boolean(),
      message: message.optional().describe('required when the inspection failed: what was wrong'),
      evidenceRef: z.string().trim().min(1).max(256).optional().describe('required when the inspection failed: photos or report'),
      expectedVersion,
    })
    .refine((action) => action.passed || (action.message && action.evidenceRef), {
      message: 'a failed inspection needs the reason (message) and an evidence reference (evidenceRef)',
      path: ['evidenceRef'],
    }),
  z.strictObject({ type: z.literal('ship_replacement'), trackingNumber, message: message.optional(), expectedVersion }),
  z.strictObject({ type: z.literal('complete_repair'), trackingNumber, message: message.optional(), expectedVersion }),
  z.strictObject({ type: z.literal('uphold'), message, expectedVersion }),
  z.strictObject({ type: z.literal('overturn'), message, expectedVersion }),
] as const;

export type ReturnAction = z.infer<(typeof returnActionSchemas)[number]>;
export type ReturnActionType = ReturnAction['type'];

/** Actions only a manager (or admin) may take: the platform's final word. */
export const MANAGER_ONLY_RETURN_ACTIONS: readonly ReturnActionType[] = ['uphold', 'overturn'];

/** The return actions each stage allows. */
const ALLOWED: Readonly<Partial<Record<TicketStage, readonly ReturnActionType[]>>> = {
  requested: ['approve', 'reject'],
  awaiting_receipt: ['confirm_receipt'],
  refund_due: ['inspect'],
  awaiting_replacement: ['inspect', 'ship_replacement'],
  awaiting_repair: ['inspect', 'complete_repair'],
  inspection_failed: ['uphold', 'overturn'],
  intervention: ['uphold', 'overturn'],
};

export function allowedReturnActions(stage: TicketStage): readonly ReturnActionType[] {
  return ALLOWED[stage] ?? [];
}

/**
 * The change a return action makes, and the audit action and reason it is recorded with. Pure.
 * An action that meets a merchant's limit after its due time, before the workflow recorded the
 * breach (it lagged: a restart, a failed step), records the breach itself, escalates as a
 * recorded breach does and leaves the on-call notification owed: a late decision must not
 * read as one made in time.
 */
export function applyReturnAction(ticket: Ticket, action: ReturnAction, now: string): { change: Partial<Ticket>; audit: string; reason?: string } {
  const applied = changeOf(ticket, action, now);
  const limit = RETURN_STAGES[ticket.stage]?.limit;
  const deadline = limit ? ticket.deadlines[limit] : undefined;
  const metLate = applied.change.deadlines?.[limit!]?.metAt === now && !deadline?.metAt;
  if (!limit || !deadline || deadline.breachedAt || BUYER_WINDOWS.includes(limit) || !metLate || Date.parse(now) <= Date.parse(deadline.dueAt)) return applied;
  const lateBySeconds = Math.round((Date.parse(now) - Date.parse(deadline.dueAt)) / 1000);
  const note = `after its deadline: ${limit}`;
  return {
    ...applied,
    change: {
      ...applied.change,
      // breachedAt too: a RecordDeadline still in flight for this limit then tells on-call instead of finding it met.
      deadlines: { ...applied.change.deadlines, [limit]: { ...applied.change.deadlines![limit]!, breachedAt: now } },
      breaches: [...ticket.breaches, { metric: limit, dueAt: deadline.dueAt, recordedAt: now, lateBySeconds }],
      escalationTier: tierAfterBreach(applied.change.escalationTier ?? ticket.escalationTier, limit, ticket.slaPolicy),
      // The workflow's RecordDeadline tells on-call, as it would have at the due time.
      breachesToNotify: [...(ticket.breachesToNotify ?? []), limit],
    },
    reason: applied.reason ? `${applied.reason}; ${note}` : note,
  };
}

function changeOf(ticket: Ticket, action: ReturnAction, now: string): { change: Partial<Ticket>; audit: string; reason?: string } {
  const withFacts = (facts: Partial<Ticket['facts']>) => {
    const next = { ...ticket, facts: { ...ticket.facts, ...facts } };
    return { facts: next.facts, ...followFacts(next, now) };
  };
  switch (action.type) {
    case 'approve':
      return { change: approveReturn(ticket, now, 'merchant', action.message), audit: 'return.approved', reason: action.message };
    case 'reject':
      return { change: rejectReturn(ticket, now, action.message), audit: 'return.rejected', reason: action.message };
    case 'confirm_receipt':
      return { change: withFacts({ receivedAt: ticket.facts.receivedAt ?? now }), audit: 'return.receipt_confirmed', reason: action.message };
    case 'inspect':
      return {
        change: withFacts({ inspection: { passed: action.passed, reason: action.message, evidenceRef: action.evidenceRef, at: now } }),
        audit: action.passed ? 'return.inspection_passed' : 'return.inspection_failed',
        reason: action.message,
      };
    case 'ship_replacement':
    case 'complete_repair':
      return {
        change: withFacts({ redelivery: { trackingNumber: action.trackingNumber, shippedAt: now } }),
        audit: action.type === 'ship_replacement' ? 'return.replacement_shipped' : 'return.repair_completed',
        reason: action.message,
      };
    case 'uphold':
    case 'overturn':
      return { change: reviewReturn(ticket, now, action.type, action.message), audit: `return.${action.type === 'uphold' ? 'upheld' : 'overturned'}`, reason: action.message };
  }
}
