import { warningTime as warningOnClock } from '@shared/sla/deadline-clock';
import { DEFAULT_SLA_POLICY } from '@shared/sla/policy';
import type { Deadline, DeadlineName, Ticket, TicketStage } from '@shared/tickets/ticket';
import { timeoutSecondsUntil, untilIso } from './wait-seconds';

/** What the complaint workflow waits for: an agent's action, or the customer (reply, confirmation, survey). */
export type ComplaintStep = 'respond' | 'handle' | 'resolve' | 'customerReply' | 'customerConfirmation' | 'survey';

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

/** The complaint's human steps by stage (DOMAIN.md: receive → respond → handle → resolve). */
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
  // After resolution the customer confirms or reopens; silence confirms (see planNextStep).
  resolved: { awaits: 'customerConfirmation', watches: [], next: 'awaiting_survey', meets: [] },
  // The survey answer closes the ticket; so does the end of its window.
  awaiting_survey: { awaits: 'survey', watches: [], next: 'closed', meets: [] },
};

/** Escalation goes up on missed deadlines (see the SLA policy) or manual escalation, to at most this tier. */
export { MAX_ESCALATION_TIER } from '@shared/sla/policy';

/** Stages at which an agent may put a complaint on hold for the customer. */
export const PAUSABLE_STAGES: readonly TicketStage[] = ['awaiting_handling', 'awaiting_resolution'];

/** When no deadline is left to watch, the workflow still waits for the action, re-planning this often. */
export const REPLAN_AFTER_SECONDS = 30 * 24 * 3600;

export type NextStep =
  | { readonly done: true }
  | {
      readonly done: false;
      readonly step: ComplaintStep;
      /** The deadline the wait is about, or null when none is left. */
      readonly deadline: DeadlineName | null;
      /**
       * What the end of the wait means: a deadline's warning time, the deadline itself, the end
       * of the confirmation window (silence confirms), or the end of the survey window (close).
       */
      readonly phase: 'warning' | 'deadline' | 'autoConfirm' | 'close';
      /** Whole seconds for the wait's timeout: it ends at or just before `until`. */
      readonly secondsLeft: number;
      /** The exact moment the wait is about (ISO). */
      readonly until: string;
    };

/**
 * What the workflow waits for next on a ticket: the action its stage awaits, until the
 * warning time of the earliest deadline not yet met or breached (if on-call was not warned
 * yet), else until that deadline. Pure, and read from the ticket alone, so a new execution
 * for an open ticket resumes where it is with the deadlines it already had.
 */
export function planNextStep(ticket: Ticket, nowMs: number): NextStep {
  const rule = COMPLAINT_STAGES[ticket.stage];
  if (ticket.kind !== 'complaint' || !rule) return { done: true };
  const policy = ticket.slaPolicy ?? DEFAULT_SLA_POLICY;
  const windowEnd = (start: string | undefined, seconds: number) => Date.parse(start ?? ticket.updatedAt) + seconds * 1000;
  const waitUntil = (ms: number) => ({ secondsLeft: timeoutSecondsUntil(ms, nowMs), until: untilIso(ms) });
  if (ticket.stage === 'resolved') {
    const ends = windowEnd(ticket.deadlines.resolution?.metAt, policy.confirmationSeconds);
    return { done: false, step: rule.awaits, deadline: null, phase: 'autoConfirm', ...waitUntil(ends) };
  }
  if (ticket.stage === 'awaiting_survey') {
    const ends = windowEnd(ticket.surveySentAt, policy.surveySeconds);
    return { done: false, step: rule.awaits, deadline: null, phase: 'close', ...waitUntil(ends) };
  }
  const running = rule.watches
    .map((name) => ({ name, deadline: ticket.deadlines[name] }))
    .filter(({ deadline }) => deadline && !deadline.metAt && !deadline.breachedAt)
    .sort((a, b) => a.deadline!.dueAt.localeCompare(b.deadline!.dueAt));
  const first = running[0];
  if (!first) return { done: false, step: rule.awaits, deadline: null, phase: 'deadline', ...waitUntil(nowMs + REPLAN_AFTER_SECONDS * 1000) };
  const dueMs = Date.parse(first.deadline!.dueAt);
  const warnMs = warningTime(ticket, first.deadline!);
  const phase = !first.deadline!.warnedAt && nowMs < warnMs ? 'warning' : 'deadline';
  // A deadline already past times out at once (after the 1-second minimum).
  return { done: false, step: rule.awaits, deadline: first.name, phase, ...waitUntil(phase === 'warning' ? warnMs : dueMs) };
}

/** When a deadline's warning is due: after the policy's share of the span from the ticket's opening, on the deadline's clock. */
function warningTime(ticket: Ticket, deadline: Deadline): number {
  const fraction = ticket.slaPolicy?.warningAtFraction ?? DEFAULT_SLA_POLICY.warningAtFraction;
  return warningOnClock(ticket, deadline, Date.parse(ticket.createdAt), fraction);
}
