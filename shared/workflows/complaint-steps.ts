import { warningTime as warningOnClock } from '@shared/sla/deadline-clock';
import { DEFAULT_SLA_POLICY } from '@shared/sla/policy';
import { COMPLAINT_STAGES, type ComplaintStep } from '@shared/complaints/complaint-flow';
import type { Deadline, DeadlineName, Ticket } from '@shared/tickets/ticket';
import { timeoutSecondsUntil, untilIso } from './wait-seconds';

export {
  COMPLAINT_STAGES,
  CUSTOMER_STEPS,
  MAX_ESCALATION_TIER,
  PAUSABLE_STAGES,
  type ComplaintStep,
} from '@shared/complaints/complaint-flow';

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
       * of the confirmation window (silence confirms), the end of the survey window (close), or
       * nothing but planning again (no deadline is left to watch).
       */
      readonly phase: 'warning' | 'deadline' | 'autoConfirm' | 'close' | 'replan';
      /** Whole seconds for the wait's timeout: it ends at or just before `until`. */
      readonly secondsLeft: number;
      /** The exact moment the wait is about (ISO). */
      readonly until: string;
    };

/**
 * What the workflow waits for next on a ticket: the action its stage awaits (or, while the
 * next reply owed is the deadline due first, any public reply: step `nextReply`), until the
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
  const first = firstRunning(ticket);
  const step = awaitedComplaintStep(ticket)!;
  if (!first) return { done: false, step, deadline: null, phase: 'replan', ...waitUntil(nowMs + REPLAN_AFTER_SECONDS * 1000) };
  const dueMs = Date.parse(first.deadline!.dueAt);
  const warnMs = warningTime(ticket, first.deadline!);
  // A warning whose time passed unrecorded (the stack was down) is still given while the
  // deadline is ahead: at once. A deadline already past times out at once (after the
  // 1-second minimum), its warning no longer worth sending.
  const phase = !first.deadline!.warnedAt && nowMs < dueMs ? 'warning' : 'deadline';
  return { done: false, step, deadline: first.name, phase, ...waitUntil(phase === 'warning' ? Math.max(warnMs, nowMs) : dueMs) };
}

/**
 * The step the workflow waits on at the ticket's stage: `nextReply` while the next reply owed
 * is the running deadline due first (any public reply ends that wait), else the stage's own.
 * Read from the ticket alone: a change after which this differs from the step waited on
 * completes that wait, so the workflow plans again (shared/workflows/plan.ts).
 */
export function awaitedComplaintStep(ticket: Ticket): ComplaintStep | undefined {
  const rule = COMPLAINT_STAGES[ticket.stage];
  if (!rule) return undefined;
  return firstRunning(ticket)?.name === 'nextReply' ? 'nextReply' : rule.awaits;
}

/** The running deadline (neither met nor breached) the stage watches that is due first. */
function firstRunning(ticket: Ticket): { name: DeadlineName; deadline: Deadline } | undefined {
  return (COMPLAINT_STAGES[ticket.stage]?.watches ?? [])
    .map((name) => ({ name, deadline: ticket.deadlines[name] }))
    .filter((entry): entry is { name: DeadlineName; deadline: Deadline } => entry.deadline !== undefined && !entry.deadline.metAt && !entry.deadline.breachedAt)
    .sort((a, b) => a.deadline.dueAt.localeCompare(b.deadline.dueAt))[0];
}

/**
 * When a deadline's warning is due: after the policy's share of its span, on the deadline's
 * clock. The span runs from the ticket's opening, or for a next reply from the customer's message.
 */
function warningTime(ticket: Ticket, deadline: Deadline): number {
  const fraction = ticket.slaPolicy?.warningAtFraction ?? DEFAULT_SLA_POLICY.warningAtFraction;
  return warningOnClock(ticket, deadline, Date.parse(deadline.startedAt ?? ticket.createdAt), fraction);
}
