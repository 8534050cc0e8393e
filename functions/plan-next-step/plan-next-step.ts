import { WorkflowCompleteError } from '@shared/errors';
import { parseWith } from '@shared/http/parse';
import { planFor } from '@shared/workflows/plan';
import { ticketStepInput, type TicketStepDeps } from '@shared/workflows/step-input';

/**
 * Workflow step: reads the ticket and says what to wait for next (complaint or return, by the
 * ticket's kind) — the action its stage awaits, until the earliest running deadline (for the next task's `TimeoutSecondsPath`) —
 * or, with {@link WorkflowCompleteError}, that the workflow is done. Deadlines are absolute on the ticket, so a new execution
 * (after a restart or a repair) waits for the same moments, not for fresh full spans.
 */
export function createPlanNextStep(deps: TicketStepDeps) {
  return async function planNext(event: unknown) {
    const input = parseWith(ticketStepInput, event, 'task input');
    const ticket = await deps.tickets.get(input.ticketId);
    const next = planFor(ticket, deps.clock.nowMs());
    if (next.done) throw new WorkflowCompleteError(`ticket ${ticket.id} needs nothing more (stage ${ticket.stage})`);
    return { ticketId: ticket.id, next };
  };
}
