import { breachOf } from '@shared/sla/breach';
import type { Deadline, DeadlineName, NextReplyRecord, Ticket, TicketStage } from '@shared/tickets/ticket';
import { nextReplyReason, nextReplyRecord } from './next-reply';

/**
 * The complaint's rules, pure: each move takes the ticket and the time and answers with the
 * change to write and how the audit trail names it. Stages (the ticket's `stage`):
 *
 * awaiting_first_response ─respond─▶ awaiting_handling ─handle─▶ awaiting_resolution ─resolve─▶
 *   resolved ─confirmed / silence─▶ awaiting_survey ─answer / window end─▶ closed
 * awaiting_handling, awaiting_resolution ─await_customer─▶ awaiting_customer ─reply─▶ back
 * resolved ─reopened─▶ awaiting_resolution
 * reply (a public reply that leaves the stage as it is): at every open stage after the first response
 *
 * After each customer message at awaiting_handling or awaiting_resolution the agent owes a
 * next reply (shared/complaints/next-reply.ts); every public reply meets it.
 *
 * The workflow (workflows/complaint.asl.json) waits on these stages and records what their
 * deadlines' passing means; the API's actions and the marketplace's events move the stage.
 */

/**
 * What the complaint workflow waits for: an agent's action, the customer (reply, confirmation,
 * survey), or `nextReply`: any public reply of the agent, while the next reply owed is the
 * deadline due first (the stage's own action ends that wait too).
 */
export type ComplaintStep = 'respond' | 'handle' | 'resolve' | 'nextReply' | 'customerReply' | 'customerConfirmation' | 'survey';
export const COMPLAINT_STEPS = ['respond', 'handle', 'resolve', 'nextReply', 'customerReply', 'customerConfirmation', 'survey'] as const satisfies readonly ComplaintStep[];

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
  // A next reply runs at these stages only (shared/complaints/next-reply.ts).
  awaiting_handling: {
    awaits: 'handle',
    watches: ['nextReply', 'initialHandling', 'resolution'],
    next: 'awaiting_resolution',
    meets: ['firstResponse', 'nextReply', 'initialHandling'],
  },
  awaiting_resolution: {
    awaits: 'resolve',
    watches: ['nextReply', 'resolution'],
    next: 'resolved',
    meets: ['firstResponse', 'nextReply', 'initialHandling', 'resolution'],
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

/**
 * The agent's workflow actions on a complaint, each a public reply to the customer. `reply`
 * leaves the stage as it is (say, answering the customer while the resolution is worked on).
 */
export type ComplaintActionType = 'respond' | 'handle' | 'resolve' | 'await_customer' | 'reply';
export const COMPLAINT_ACTION_TYPES = ['respond', 'handle', 'resolve', 'await_customer', 'reply'] as const satisfies readonly ComplaintActionType[];

/** Stages without `reply`: before the first response, answering the customer is `respond`. */
const NO_REPLY_STAGES: readonly TicketStage[] = ['awaiting_first_response', 'closed'];

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
  if (!NO_REPLY_STAGES.includes(ticket.stage)) allowed.push('reply');
  return allowed;
}

const AUDIT_ACTION: Readonly<Record<Exclude<ComplaintActionType, 'await_customer' | 'reply'>, string>> = {
  respond: 'ticket.responded',
  handle: 'ticket.handled',
  resolve: 'ticket.resolved',
};

/**
 * The change an agent's action makes (the caller checked it is allowed). Every action here is
 * a public reply, so it meets the next reply owed; respond, handle and resolve also meet their
 * stage's deadlines. An action after its deadline still counts, and is recorded as late; when
 * the workflow had not recorded the miss yet (it lagged: a restart, a failed step), the action
 * records it itself — the breach, its escalation, and the on-call notification still owed
 * (`breachesToNotify`) — so a late response never reads as one made in time.
 */
export function applyComplaintAction(ticket: Ticket, type: ComplaintActionType, now: string): ComplaintMove {
  const rule = COMPLAINT_STAGES[ticket.stage];
  const met = meetDeadlines(ticket, type === 'await_customer' || type === 'reply' ? ['nextReply'] : rule!.meets, now);
  if (type === 'await_customer') {
    return {
      change: { ...met.change, stage: 'awaiting_customer', pausedFrom: ticket.stage, pausedIntervals: [...(ticket.pausedIntervals ?? []), { from: now }] },
      audit: 'ticket.paused',
      reason: reasonOf(met, 'waiting on the customer: the resolution clock stands still'),
    };
  }
  if (type === 'reply') return { change: met.change, audit: 'ticket.replied', reason: reasonOf(met) };
  return { change: { ...met.change, stage: rule!.next }, audit: AUDIT_ACTION[type], reason: reasonOf(met) };
}

interface MetDeadlines {
  /** Only the fields that change: nothing when no deadline was running. */
  readonly change: Partial<Ticket>;
  /** The deadlines met after their due time. */
  readonly late: readonly DeadlineName[];
  /** The next reply met, as recorded in `nextReplies`. */
  readonly nextReply?: NextReplyRecord;
}

/** The named deadlines still running (or breached and not met) marked met at `now`, with any breach not yet recorded recorded. */
function meetDeadlines(ticket: Ticket, names: readonly DeadlineName[], now: string): MetDeadlines {
  let current: Ticket = ticket;
  const late: DeadlineName[] = [];
  const unrecorded: DeadlineName[] = [];
  for (const name of names) {
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
  if (current === ticket) return { change: {}, late };
  const breachChange: Partial<Ticket> = unrecorded.length
    ? {
        breaches: current.breaches,
        escalationTier: current.escalationTier,
        // A raised tier moves the ticket into that tier's pool (shared/sla/breach.ts).
        ...(current.escalationTier > ticket.escalationTier ? { assignee: undefined } : {}),
        breachesToNotify: [...(ticket.breachesToNotify ?? []), ...unrecorded],
      }
    : {};
  const metReply = ticket.deadlines.nextReply && !ticket.deadlines.nextReply.metAt ? current.deadlines.nextReply : undefined;
  const nextReply = metReply && nextReplyRecord(ticket, metReply, now);
  return {
    change: { deadlines: current.deadlines, ...breachChange, ...(nextReply ? { nextReplies: [...(ticket.nextReplies ?? []), nextReply] } : {}) },
    late,
    nextReply,
  };
}

/** The audit reason of an action: what it is about, the deadlines it met late, the next reply it met. */
function reasonOf(met: MetDeadlines, about?: string): string | undefined {
  const parts = [
    about,
    met.late.length ? `after its deadline: ${met.late.join(', ')}` : undefined,
    met.nextReply ? nextReplyReason(met.nextReply) : undefined,
  ].filter((part) => part !== undefined);
  return parts.length ? parts.join('; ') : undefined;
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
