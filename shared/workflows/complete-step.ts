import { InvalidToken, SendTaskSuccessCommand, TaskDoesNotExist, TaskTimedOut, type SFNClient } from '@aws-sdk/client-sfn';
import { logger } from '@shared/logger';

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
