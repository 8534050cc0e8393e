import { parseWith } from '@shared/http/parse';
import { planFor } from '@shared/workflows/plan';
import { ticketStepInput, type TicketStepDeps } from '@shared/workflows/step-input';

/**
 * Workflow step: reads the ticket and says what to do next (complaint or return, by the
 * ticket's kind): the step its stage awaits and until when (the next task's
 * `TimeoutSecondsPath`) and what the end of that wait means, or `done`. The workflow's
 * Choice states route on this answer to the named waiting state, or end the execution.
 * It runs when an execution was started without a plan and when a wait found its step done
 * already; the starters (shared/workflows/start-execution.ts) and every step that ends a wait
 * hand the workflow the same plan themselves (`planFor`).
 * Deadlines are absolute on the ticket, so a new execution (after a restart or a repair)
 * waits for the same moments, not for fresh full spans.
 */
export function createPlanNextStep(deps: TicketStepDeps) {
  return async function planNext(event: unknown) {
    const input = parseWith(ticketStepInput, event, 'task input');
    const ticket = await deps.tickets.get(input.ticketId);
    return { ticketId: ticket.id, next: planFor(ticket, deps.clock.nowMs()) };
  };
}
