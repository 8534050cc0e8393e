import { ExecutionAlreadyExists, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { Ticket } from '@shared/tickets/ticket';
import { planFor, type WorkflowNextStep } from './plan';
import { executionName } from './workflow-intent';

/**
 * What an execution starts with: the ticket and the plan for it as it stands, the same answer
 * PlanNextStep would give. So the workflow's first state, WhichStage, goes straight to the
 * first wait: one state transition and one Lambda call fewer per execution. An execution
 * started with the ticket id alone (by hand, say) is planned by PlanNextStep first.
 */
export interface ExecutionInput {
  readonly ticketId: string;
  readonly next: WorkflowNextStep;
}

export function executionInput(ticket: Ticket, nowMs: number): ExecutionInput {
  return { ticketId: ticket.id, next: planFor(ticket, nowMs) };
}

/**
 * Starts the execution the ticket's workflow intent names, planned at `nowMs` on the ticket as
 * committed. An execution of that name that exists already counts as started: a repeated start
 * carries a plan made at another moment, so Step Functions refuses it (`ExecutionAlreadyExists`)
 * where a start with the same input would have been taken as the same. Other errors are the
 * caller's.
 */
export async function startExecutionFor(sfn: SFNClient, stateMachineArn: string, ticket: Ticket, nowMs: number): Promise<void> {
  try {
    await sfn.send(
      new StartExecutionCommand({ stateMachineArn, name: executionName(ticket), input: JSON.stringify(executionInput(ticket, nowMs)) }),
    );
  } catch (error) {
    if (!(error instanceof ExecutionAlreadyExists)) throw error;
  }
}
