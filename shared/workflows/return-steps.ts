import { DEFAULT_RETURN_POLICY } from '@shared/returns/policy';
import { BUYER_WINDOWS, RETURN_STAGES, type ReturnStep } from '@shared/returns/return-flow';
import type { DeadlineName, Ticket } from '@shared/tickets/ticket';
import { REPLAN_AFTER_SECONDS } from './complaint-steps';
import { timeoutSecondsUntil, untilIso } from './wait-seconds';

export type ReturnNextStep =
  | { readonly done: true }
  | {
      readonly done: false;
      readonly step: ReturnStep;
      /** The limit the wait is about, or null when none is running at this stage. */
      readonly deadline: DeadlineName | null;
      /**
       * What the end of the wait means: a merchant's deadline (breach and its consequence), the
       * end of a buyer's window (the case moves on, no breach), the end of the survey window, or
       * nothing but planning again (the stage runs no limit).
       */
      readonly phase: 'deadline' | 'windowEnd' | 'close' | 'replan';
      /** Whole seconds for the wait's timeout: it ends at or just before `until`. */
      readonly secondsLeft: number;
      /** The exact moment the wait is about (ISO). */
      readonly until: string;
    };

/**
 * What the return workflow waits for next: the step its stage awaits, until the limit that
 * stage runs (absolute on the ticket), or the end of the survey window. Pure, read from the
 * ticket alone, so a new execution resumes where the ticket is. No warnings: the return
 * limits are days long, and a warning round would cost four transitions each.
 */
export function planReturnStep(ticket: Ticket, nowMs: number): ReturnNextStep {
  const rule = RETURN_STAGES[ticket.stage];
  if (ticket.kind !== 'return' || !rule) return { done: true };
  const waitUntil = (ms: number) => ({ secondsLeft: timeoutSecondsUntil(ms, nowMs), until: untilIso(ms) });
  if (ticket.stage === 'awaiting_survey') {
    const policy = ticket.returnPolicy ?? DEFAULT_RETURN_POLICY;
    const ends = Date.parse(ticket.surveySentAt ?? ticket.updatedAt) + policy.surveySeconds * 1000;
    return { done: false, step: rule.awaits, deadline: null, phase: 'close', ...waitUntil(ends) };
  }
  const limit = rule.limit ? ticket.deadlines[rule.limit] : undefined;
  if (!rule.limit || !limit || limit.metAt || limit.breachedAt) {
    return { done: false, step: rule.awaits, deadline: null, phase: 'replan', ...waitUntil(nowMs + REPLAN_AFTER_SECONDS * 1000) };
  }
  const phase = BUYER_WINDOWS.includes(rule.limit) ? 'windowEnd' : 'deadline';
  return { done: false, step: rule.awaits, deadline: rule.limit, phase, ...waitUntil(Date.parse(limit.dueAt)) };
}
