import { breachOf } from '@shared/sla/breach';
import type { Deadline, DeadlineName, Ticket, TicketStage } from '@shared/tickets/ticket';

/**
 * The complaint's rules, pure: each move takes the ticket and the time and answers with the
 * change to write and how the audit trail names it. Stages (the ticket's `stage`):
 *
 * awaiting_first_response ─respond─▶ awaiting_handling ─handle─▶ awaiting_resolution ─resolve─▶
 *   resolved ─confirmed / silence─▶ awaiting_survey ─answer / window end─▶ closed
 * awaiting_handling, awaiting_resolution ─await_customer─▶ awaiting_customer ─reply─▶ back
 * resolved ─reopened─▶ awaiting_resolution
 *
 * The workflow (workflows/complaint.asl.json) waits on these stages and records what their
 * deadlines' passing means; the API's actions and the marketplace's events move the stage.
 */

/** What the complaint workflow waits for: an agent's action, or the customer (reply, confirmation, survey). */
export type ComplaintStep = 'respond' | 'handle' | 'resolve' | 'customerReply' | 'customerConfirmation' | 'survey';
export const COMPLAINT_STEPS = ['respond', 'handle', 'resolve', 'customerReply', 'customerConfirmation', 'survey'] as const satisfies readonly ComplaintStep[];

/** The steps only the customer completes, through marketplace events. */
export const CUSTOMER_STEPS: readonly ComplaintStep[] = ['customerReply', 'customerConfirmation', 'survey'];

interface StageRule {
  /** The action the workflow waits for at this stage. */
  readonly awaits: ComplaintStep;
  /** The deadlines still running at this stage, earliest first. */
  readonly watches: readonly DeadlineName[];
  /** Where the awaited action takes the ticket, and the deadlines it meets. */
  readonly next: TicketStage;
  readonly meets: readonly DeadlineName[];
}

/** The complaint's human steps by stage: receive → respond → handle → resolve. */
export const COMPLAINT_STAGES: Readonly<Partial<Record<TicketStage, StageRule>>> = {
  awaiting_first_response: {
    awaits: 'respond',
    watches: ['firstResponse', 'initialHandling', 'resolution'],
    next: 'awaiting_handling',
    meets: ['firstResponse'],
  },
  awaiting_handling: {
    awaits: 'handle',
    watches: ['initialHandling', 'resolution'],
    next: 'awaiting_resolution',
    meets: ['firstResponse', 'initialHandling'],
  },
  awaiting_resolution: {
    awaits: 'resolve',
    watches: ['resolution'],
    next: 'resolved',
    meets: ['firstResponse', 'initialHandling', 'resolution'],
  },
  // The resolution clock stands still; the initial-handling deadline still runs. The reply
  // (a marketplace event) takes the ticket back to the stage it paused from.
  awaiting_customer: {
    awaits: 'customerReply',
    watches: ['initialHandling'],
    next: 'awaiting_resolution',
    meets: [],
  },
  // After resolution the customer confirms or reopens; silence confirms.
  resolved: { awaits: 'customerConfirmation', watches: [], next: 'awaiting_survey', meets: [] },
  // The survey answer closes the ticket; so does the end of its window.
  awaiting_survey: { awaits: 'survey', watches: [], next: 'closed', meets: [] },
};

/** Escalation goes up on missed deadlines (see the SLA policy) or manual escalation, to at most this tier. */
export { MAX_ESCALATION_TIER } from '@shared/sla/policy';

/** Stages at which an agent may put a complaint on hold for the customer. */
export const PAUSABLE_STAGES: readonly TicketStage[] = ['awaiting_handling', 'awaiting_resolution'];

/** The agent's workflow actions on a complaint. */
export type ComplaintActionType = 'respond' | 'handle' | 'resolve' | 'await_customer';
export const COMPLAINT_ACTION_TYPES = ['respond', 'handle', 'resolve', 'await_customer'] as const satisfies readonly ComplaintActionType[];

/** A change to write, with the audit action and reason it is recorded under. */
export interface ComplaintMove {
  readonly change: Partial<Ticket>;
  readonly audit: string;
  readonly reason?: string;
}

/** The workflow actions an agent may take on a complaint at its stage (housekeeping actions aside). */
export function allowedComplaintActions(ticket: Ticket): ComplaintActionType[] {
  if (ticket.stage === 'closed') return [];
  const awaited = COMPLAINT_STAGES[ticket.stage]?.awaits;
  const allowed: ComplaintActionType[] = awaited && !CUSTOMER_STEPS.includes(awaited) ? [awaited as ComplaintActionType] : [];
  if (PAUSABLE_STAGES.includes(ticket.stage)) allowed.push('await_customer');
  return allowed;
}

const AUDIT_ACTION: Readonly<Record<Exclude<ComplaintActionType, 'await_customer'>, string>> = {
  respond: 'ticket.responded',
  handle: 'ticket.handled',
  resolve: 'ticket.resolved',
};

/**
 * The change an agent's action makes (the caller checked it is allowed). An action after its
 * deadline still counts, and is recorded as late; when the workflow had not recorded the
 * miss yet (it lagged: a restart, a failed step), the action records it itself — the breach,
 * its escalation, and the on-call notification still owed (`breachesToNotify`) — so a late
 * response never reads as one made in time.
 */
export function applyComplaintAction(ticket: Ticket, type: ComplaintActionType, now: string): ComplaintMove {
  if (type === 'await_customer') {
    return {
      change: { stage: 'awaiting_customer', pausedFrom: ticket.stage, pausedIntervals: [...(ticket.pausedIntervals ?? []), { from: now }] },
      audit: 'ticket.paused',
      reason: 'waiting on the customer: the resolution clock stands still',
    };
  }
  const rule = COMPLAINT_STAGES[ticket.stage]!;
  let current: Ticket = ticket;
  const late: DeadlineName[] = [];
  const unrecorded: DeadlineName[] = [];
  for (const name of rule.meets) {
    const deadline = current.deadlines[name];
    if (!deadline || deadline.metAt) continue;
    // Late once past the due time, or once the breach was recorded (the timeout fires at the due time itself).
    if (deadline.breachedAt === undefined && Date.parse(now) > Date.parse(deadline.dueAt)) {
      current = { ...current, ...breachOf(current, name, now)!.change };
      unrecorded.push(name);
    }
    if (current.deadlines[name]!.breachedAt !== undefined) late.push(name);
    current = { ...current, deadlines: { ...current.deadlines, [name]: { ...(current.deadlines[name] as Deadline), metAt: now } } };
  }
  const breachChange: Partial<Ticket> = unrecorded.length
    ? {
        breaches: current.breaches,
        escalationTier: current.escalationTier,
        // A raised tier moves the ticket into that tier's pool (shared/sla/breach.ts).
        ...(current.escalationTier > ticket.escalationTier ? { assignee: undefined } : {}),
        breachesToNotify: [...(ticket.breachesToNotify ?? []), ...unrecorded],
      }
    : {};
  return {
    change: { stage: rule.next, deadlines: current.deadlines, ...breachChange },
    audit: AUDIT_ACTION[type],
    reason: late.length ? `after its deadline: ${late.join(', ')}` : undefined,
  };
}

/** A deadline's warning time came: recorded once, while the deadline still runs. */
export function recordWarning(ticket: Ticket, metric: DeadlineName, now: string): ComplaintMove | undefined {
  const deadline = ticket.deadlines[metric];
  if (!deadline || deadline.metAt || deadline.breachedAt || deadline.warnedAt) return undefined;
  return {
    change: { deadlines: { ...ticket.deadlines, [metric]: { ...deadline, warnedAt: now } } },
    audit: 'sla.warning',
    reason: `${metric} is due at ${deadline.dueAt}`,
  };
}

/** A deadline passed with its step not done: the breach is recorded and the ticket escalated as the SLA policy says. */
export function recordComplaintBreach(ticket: Ticket, metric: DeadlineName, now: string): ComplaintMove | undefined {
  const breach = breachOf(ticket, metric, now);
  if (!breach) return undefined;
  return {
    change: breach.change,
    audit: 'sla.breached',
    reason: `${metric} was due at ${ticket.deadlines[metric]!.dueAt}; ${breach.lateBySeconds} s late`,
  };
}

/** No answer within the confirmation window after resolution counts as confirmed; the survey goes out. */
export function confirmBySilence(ticket: Ticket, now: string): ComplaintMove | undefined {
  if (ticket.stage !== 'resolved') return undefined;
  return {
    change: { stage: 'awaiting_survey', confirmedAt: now, surveySentAt: now },
    audit: 'ticket.confirmed',
    reason: 'no answer from the customer within the confirmation window counts as confirmed; survey sent',
  };
}

/** The survey window ended without an answer: the ticket closes. */
export function closeAfterSurveyWindow(ticket: Ticket, now: string): ComplaintMove | undefined {
  if (ticket.stage !== 'awaiting_survey') return undefined;
  return { change: { stage: 'closed', closedAt: now }, audit: 'ticket.closed', reason: 'the survey window ended' };
}
