import { InvalidToken, SendTaskFailureCommand, SendTaskSuccessCommand, TaskDoesNotExist, TaskTimedOut, type SFNClient } from '@aws-sdk/client-sfn';
import { logger } from '@shared/logger';
import type { Ticket } from '@shared/tickets/ticket';
import { planFor, type WorkflowNextStep } from './plan';

/**
 * What a completed wait hands its workflow: the step done and when, and the plan for the
 * ticket as it stands now. The waiting state's ResultSelector keeps `ticketId` and `next`, and
 * the state goes on to itself, so the workflow waits on the next step without a planning task
 * or a routing state (one state transition a step).
 */
export interface StepCompletion {
  readonly ticketId: string;
  readonly step: string;
  readonly at: string;
  readonly next: WorkflowNextStep;
}

/** The completion of the step a ticket change recorded (`workflow.completing`), planned at `nowMs`. */
export function completionOf(ticket: Ticket, nowMs: number): StepCompletion | undefined {
  const completing = ticket.workflow?.completing;
  if (!completing) return undefined;
  return { ticketId: ticket.id, step: completing.step, at: completing.at, next: planFor(ticket, nowMs) };
}

/**
 * The names a completion fails its task with when the plan after the step is not another wait,
 * so the waiting state, which goes on to itself on success, routes by its Catch instead
 * (`AwaitStep` in workflows/*.asl.json): the ticket needs nothing more, or on-call is owed the
 * notice of a breach a late action recorded (the workflow plans again and tells them).
 */
export const COMPLETION_SIGNALS = { ticketClosed: 'TicketClosed', breachNoticeOwed: 'BreachNoticeOwed' } as const;

function signalFor(next: WorkflowNextStep): string | undefined {
  if (next.done) return COMPLETION_SIGNALS.ticketClosed;
  if (next.phase === 'notify') return COMPLETION_SIGNALS.breachNoticeOwed;
  return undefined;
}

/**
 * Completes a waiting workflow step with its task token: SendTaskSuccess with the completion
 * when the plan is another wait, else SendTaskFailure with its signal (the completion as the
 * cause, for the execution's history). A late or repeated callback (`TaskTimedOut`,
 * `InvalidToken`, `TaskDoesNotExist`) means the step was settled already, by a timeout or an
 * earlier callback; that is not an error for the caller: the ticket, already written, is the
 * truth. Returns whether this call completed the step.
 */
export async function completeWorkflowStep(sfn: SFNClient, taskToken: string, output: StepCompletion): Promise<boolean> {
  try {
    const signal = signalFor(output.next);
    const body = JSON.stringify(output);
    if (signal) await sfn.send(new SendTaskFailureCommand({ taskToken, error: signal, cause: body }));
    else await sfn.send(new SendTaskSuccessCommand({ taskToken, output: body }));
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
 * Sends the completion the ticket records (`workflow.completing`) with its task token, planned
 * at `nowMs`. Returns whether this call completed the step: false when none is recorded or the
 * step was settled already. Errors other than those are the caller's.
 */
export async function sendCompletionOf(sfn: SFNClient, ticket: Ticket, nowMs: number): Promise<boolean> {
  const completing = ticket.workflow?.completing;
  const completion = completionOf(ticket, nowMs);
  if (!completing || !completion) return false;
  return completeWorkflowStep(sfn, completing.taskToken, completion);
}

/**
 * Sends the completion a ticket change recorded, after the change is committed, with the plan
 * for the ticket as that change left it. A failure here is not the caller's: the change is
 * applied, and the reconciler sends the token again within a minute or two, planned afresh.
 * So this never throws; it logs.
 */
export async function sendRecordedCompletion(sfn: SFNClient, ticket: Ticket, nowMs: number): Promise<void> {
  try {
    await sendCompletionOf(sfn, ticket, nowMs);
  } catch (error) {
    logger.warn('could not complete the workflow step; the reconciler will', { ticketId: ticket.id, step: ticket.workflow?.completing?.step, error: (error as Error).name });
  }
}
