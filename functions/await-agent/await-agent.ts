import { z } from 'zod';
import { StepAlreadyCompletedError } from '@shared/errors';
import { parseWith } from '@shared/http/parse';
import { retryOnConflict } from '@shared/tickets/retry-on-conflict';
import { deadlineStepInput, type TicketStepDeps } from '@shared/workflows/step-input';

const inputSchema = deadlineStepInput.extend({
  // Step Functions task tokens are up to 2048 characters.
  taskToken: z.string().min(1).max(2048),
});

/**
 * Workflow step of a `.waitForTaskToken` task: stores the token on the ticket, so the
 * agent's action can complete the step. Storing it is a ticket change, so it is audited
 * (the token itself is kept out of the audit trail). When the step was done before the
 * token arrived, it fails with {@link StepAlreadyCompletedError}, which the workflow catches.
 */
export function createAwaitAgent(deps: TicketStepDeps) {
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
