import { z } from 'zod';
import type { Clock } from '@shared/clock';
import { StepAlreadyCompletedError } from '@shared/errors';
import { parseWith } from '@shared/http/parse';
import { retryOnConflict } from '@shared/tickets/retry-on-conflict';
import type { TicketRepository } from '@shared/tickets/ticket-repository';

const inputSchema = z.object({
  ticketId: z.string().min(1),
  deadline: z.enum(['firstResponse']),
  // Step Functions task tokens are up to 2048 characters.
  taskToken: z.string().min(1).max(2048),
});

export interface AwaitAgentDeps {
  readonly tickets: TicketRepository;
  readonly clock: Clock;
}

/**
 * Workflow step of a `.waitForTaskToken` task: stores the token on the ticket, so the
 * agent's action can complete the step. Storing it is a ticket change, so it is audited
 * (the token itself is kept out of the audit trail). When the step was done before the
 * token arrived, it fails with {@link StepAlreadyCompletedError}, which the workflow catches.
 */
export function createAwaitAgent(deps: AwaitAgentDeps) {
  return async function awaitAgent(event: unknown) {
    const input = parseWith(inputSchema, event, 'task input');
    await retryOnConflict(async () => {
      const ticket = await deps.tickets.get(input.ticketId);
      if (ticket.deadlines[input.deadline]?.metAt) {
        throw new StepAlreadyCompletedError(`${input.deadline} of ticket ${ticket.id} is already done`);
      }
      await deps.tickets.update(
        ticket,
        { awaiting: { step: input.deadline, taskToken: input.taskToken, since: deps.clock.now().toISOString() } },
        { actor: { type: 'system', id: 'workflow' }, via: 'workflow', action: 'workflow.awaiting_agent' },
      );
    });
    return { ticketId: input.ticketId, awaiting: input.deadline };
  };
}
