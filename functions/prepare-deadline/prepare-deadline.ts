import { parseWith } from '@shared/http/parse';
import { deadlineStepInput, type TicketStepDeps } from '@shared/workflows/step-input';

/**
 * Workflow step: the seconds left until one of the ticket's deadlines, for the next task's
 * `TimeoutSecondsPath`. The due time is absolute on the ticket, so a new execution (after a
 * restart or a repair) waits for the same moment, not for a fresh full span.
 */
export function createPrepareDeadline(deps: TicketStepDeps) {
  return async function prepareDeadline(event: unknown) {
    const input = parseWith(deadlineStepInput, event, 'task input');
    const ticket = await deps.tickets.get(input.ticketId);
    const deadline = ticket.deadlines[input.deadline];
    if (!deadline) throw new Error(`ticket ${ticket.id} has no ${input.deadline} deadline`);
    const millisLeft = Date.parse(deadline.dueAt) - deps.clock.nowMs();
    return {
      ticketId: ticket.id,
      deadline: {
        name: input.deadline,
        dueAt: deadline.dueAt,
        // Step Functions timeouts are whole seconds >= 1; a deadline already past times out at once.
        secondsLeft: Math.max(1, Math.ceil(millisLeft / 1000)),
      },
    };
  };
}
