import { RETURN_STAGES } from '@shared/returns/return-flow';
import type { DeadlineName, Ticket } from '@shared/tickets/ticket';
import { awaitedComplaintStep, planNextStep, type NextStep } from './complaint-steps';
import { planReturnStep, type ReturnNextStep } from './return-steps';
import { untilIso } from './wait-seconds';

/** On-call is owed a breach notification that a late action recorded: RecordDeadline tells on-call of it, without waiting. */
export interface NotifyStep {
  readonly done: false;
  readonly step: null;
  readonly deadline: DeadlineName;
  readonly phase: 'notify';
  readonly secondsLeft: 1;
  readonly until: string;
}

/** The next wait of any ticket's workflow. */
export type WorkflowNextStep = NextStep | ReturnNextStep | NotifyStep;

/**
 * What the ticket's workflow does next, by the ticket's kind. Pure. A breach notification
 * owed (a late action recorded the breach) comes first, at any stage.
 */
export function planFor(ticket: Ticket, nowMs: number): WorkflowNextStep {
  const owed = ticket.breachesToNotify?.[0];
  if (owed) return { done: false, step: null, deadline: owed, phase: 'notify', secondsLeft: 1, until: untilIso(nowMs) };
  return ticket.kind === 'return' ? planReturnStep(ticket, nowMs) : planNextStep(ticket, nowMs);
}

/** The step the workflow waits on for the ticket as it stands, or undefined when it awaits nothing. */
export function awaitedStep(ticket: Ticket): string | undefined {
  return ticket.kind === 'return' ? RETURN_STAGES[ticket.stage]?.awaits : awaitedComplaintStep(ticket);
}

/**
 * Whether a change completes the step the workflow waits on: the workflow re-plans from the
 * ticket, so any change after which the ticket no longer awaits that step does — a moved
 * stage, a next reply met, or a customer's message that starts a next reply due before the
 * deadline the wait was about — and so does a breach a late action recorded, so on-call is
 * told of it at once.
 */
export function endsTheWait(before: Ticket, change: Partial<Ticket>): boolean {
  if (!before.awaiting) return false;
  const movesStage = change.stage !== undefined && change.stage !== before.stage;
  const owesNotice = (change.breachesToNotify?.length ?? 0) > (before.breachesToNotify?.length ?? 0);
  return movesStage || owesNotice || awaitedStep({ ...before, ...change }) !== before.awaiting.step;
}
