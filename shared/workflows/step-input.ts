import { z } from 'zod';
import type { Clock } from '@shared/clock';
import type { TicketRepository } from '@shared/tickets/ticket-repository';

/** The deadlines a workflow step can be about. */
export const deadlineName = z.enum(['firstResponse']);

/** Input of a workflow step that concerns one deadline of one ticket. */
export const deadlineStepInput = z.object({
  ticketId: z.string().min(1),
  deadline: deadlineName,
});

/** What every ticket workflow step needs. */
export interface TicketStepDeps {
  readonly tickets: TicketRepository;
  readonly clock: Clock;
}
