import { z } from 'zod';
import { StepAlreadyCompletedError } from '@shared/errors';
import { parseWith } from '@shared/http/parse';
import { retryOnConflict } from '@shared/tickets/retry-on-conflict';
import { awaitedStep } from '@shared/workflows/plan';
import { workflowStep, ticketStepInput, type TicketStepDeps } from '@shared/workflows/step-input';

const inputSchema = ticketStepInput.extend({
  step: workflowStep,
  // Step Functions task tokens are up to 2048 characters.
  taskToken: z.string().min(1).max(2048),
});

/**
 * Workflow step of a `.waitForTaskToken` task: stores the token on the ticket, so the
 * agent's action can complete the step. Storing it is a ticket change, so it is audited
 * (the token itself is kept out of the audit trail). When the step was done before the
 * token arrived, or a breach notice came to be owed since the plan was made, it fails with
 * {@link StepAlreadyCompletedError}, which the workflow catches to plan again.
 */
export function createAwaitAgent(deps: TicketStepDeps) {
  return async function awaitAgent(event: unknown) {
    const input = parseWith(inputSchema, event, 'task input');
    await retryOnConflict(async () => {
      const ticket = await deps.tickets.get(input.ticketId);
      if (awaitedStep(ticket) !== input.step) {
        throw new StepAlreadyCompletedError(`${input.step} of ticket ${ticket.id} is already done (stage ${ticket.stage})`);
      }
      // A late action recorded a breach after the plan was made: on-call is told first, so the workflow plans again.
      if (ticket.breachesToNotify?.length) {
        throw new StepAlreadyCompletedError(`ticket ${ticket.id} owes on-call the notice of a ${ticket.breachesToNotify[0]} breach before it waits`);
      }
      if (ticket.awaiting?.step === input.step && ticket.awaiting.taskToken === input.taskToken) return;
      // The execution reached its next wait, so a completion recorded before has arrived: it is owed no more.
      const settled = ticket.workflow?.completing ? { workflow: { generation: ticket.workflow.generation } } : {};
      await deps.tickets.update(
        ticket,
        { awaiting: { step: input.step, taskToken: input.taskToken, since: deps.clock.now().toISOString() }, ...settled },
        { actor: { type: 'system', id: 'workflow' }, via: 'workflow', action: 'workflow.awaiting_agent', bookkeeping: true },
      );
    });
    return { ticketId: input.ticketId, awaiting: input.step };
  };
}
