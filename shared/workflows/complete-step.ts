import { InvalidToken, SendTaskSuccessCommand, TaskDoesNotExist, TaskTimedOut, type SFNClient } from '@aws-sdk/client-sfn';
import { logger } from '@shared/logger';
import type { Ticket } from '@shared/tickets/ticket';

/**
 * Completes a waiting workflow step with its task token. A late or repeated callback
 * (`TaskTimedOut`, `InvalidToken`, `TaskDoesNotExist`) means the step was settled already,
 * by a timeout or an earlier callback; that is not an error for the caller: the ticket,
 * already written, is the truth. Returns whether this call completed the step.
 */
export async function completeWorkflowStep(sfn: SFNClient, taskToken: string, output: unknown): Promise<boolean> {
  try {
    await sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
    return true;
  } catch (error) {
    if (error instanceof TaskTimedOut || error instanceof InvalidToken || error instanceof TaskDoesNotExist) {
      logger.info('workflow step was already settled', { error: error.name });
      return false;
    }
    throw error;
  }
}

/**
 * Sends the completion a ticket change recorded (`workflow.completing`), after the change is
 * committed. A failure here is not the caller's: the change is applied, and the reconciler
 * sends the token again within a minute or two. So this never throws; it logs.
 */
export async function sendRecordedCompletion(sfn: SFNClient, ticket: Ticket): Promise<void> {
  const completing = ticket.workflow?.completing;
  if (!completing) return;
  try {
    await completeWorkflowStep(sfn, completing.taskToken, { step: completing.step, at: completing.at });
  } catch (error) {
    logger.warn('could not complete the workflow step; the reconciler will', { ticketId: ticket.id, step: completing.step, error: (error as Error).name });
  }
}
