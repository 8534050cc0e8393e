import { z } from 'zod';
import type { Clock } from '@shared/clock';
import { parseWith } from '@shared/http/parse';
import type { TicketRepository } from '@shared/tickets/ticket-repository';

const inputSchema = z.object({
  ticketId: z.string().min(1),
  deadline: z.enum(['firstResponse']),
});

export interface PrepareDeadlineDeps {
  readonly tickets: TicketRepository;
  readonly clock: Clock;
}

/**
 * Workflow step: the seconds left until one of the ticket's deadlines, for the next task's
 * `TimeoutSecondsPath`. The due time is absolute on the ticket, so a new execution (after a
 * restart or a repair) waits for the same moment, not for a fresh full span.
 */
export function createPrepareDeadline(deps: PrepareDeadlineDeps) {
  return async function prepareDeadline(event: unknown) {
    const input = parseWith(inputSchema, event, 'task input');
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
