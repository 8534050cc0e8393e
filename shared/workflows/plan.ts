import { RETURN_STAGES } from '@shared/returns/return-flow';
import type { Ticket } from '@shared/tickets/ticket';
import { COMPLAINT_STAGES, planNextStep, type NextStep } from './complaint-steps';
import { planReturnStep, type ReturnNextStep } from './return-steps';

/** The next wait of any ticket's workflow. */
export type WorkflowNextStep = NextStep | ReturnNextStep;

/** What the ticket's workflow waits for next, by the ticket's kind. Pure. */
export function planFor(ticket: Ticket, nowMs: number): WorkflowNextStep {
  return ticket.kind === 'return' ? planReturnStep(ticket, nowMs) : planNextStep(ticket, nowMs);
}

/** The step the ticket's stage awaits, or undefined when it awaits nothing. */
export function awaitedStep(ticket: Ticket): string | undefined {
  return ticket.kind === 'return' ? RETURN_STAGES[ticket.stage]?.awaits : COMPLAINT_STAGES[ticket.stage]?.awaits;
}
