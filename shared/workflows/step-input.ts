import { z } from 'zod';
import type { Clock } from '@shared/clock';
import { COMPLAINT_STEPS } from '@shared/complaints/complaint-flow';
import { RETURN_STEPS } from '@shared/returns/return-flow';
import { DEADLINE_NAMES } from '@shared/tickets/ticket';
import type { TicketRepository } from '@shared/tickets/ticket-repository';

/** The deadlines a workflow step can be about. */
export const deadlineName = z.enum(DEADLINE_NAMES);

/** The agent actions a workflow step can wait for. */
export const complaintStep = z.enum(COMPLAINT_STEPS);

/** Any step a ticket workflow (complaint or return) can wait for. */
export const workflowStep = z.enum([...complaintStep.options, ...RETURN_STEPS]);

/** Input of a workflow step about one ticket. */
export const ticketStepInput = z.object({ ticketId: z.string().min(1) });

/** What every ticket workflow step needs. */
export interface TicketStepDeps {
  readonly tickets: TicketRepository;
  readonly clock: Clock;
}
