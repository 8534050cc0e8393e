import type { Ticket, WorkflowIntent } from '@shared/tickets/ticket';

/** The intent of a new ticket: its first execution is to run. */
export const FIRST_RUN: WorkflowIntent = { generation: 1 };

/** The name of the execution that must run for the ticket: `<ticket id>-<generation>` (tickets opened before generations: the ticket id). */
export function executionName(ticket: Pick<Ticket, 'id' | 'workflow'>): string {
  return ticket.workflow ? `${ticket.id}-${ticket.workflow.generation}` : ticket.id;
}

/**
 * The change with the workflow step it completes recorded: the waiting task token moves from
 * `awaiting` to the intent's `completing`, in the same transaction as the change, so the
 * token survives a failed SendTaskSuccess and the reconciler can send it again. Without a
 * waiting step (or when `completes` is false) the change is returned as it is.
 */
export function completingStep(ticket: Ticket, change: Partial<Ticket>, completes: boolean, now: string): Partial<Ticket> {
  if (!ticket.awaiting || !completes) return change;
  const { step, taskToken } = ticket.awaiting;
  return { ...change, awaiting: undefined, workflow: { ...(ticket.workflow ?? FIRST_RUN), completing: { step, taskToken, at: now } } };
}

/** The next generation's intent: the execution that ended is replaced by a new one. */
export function nextGeneration(ticket: Ticket): WorkflowIntent {
  return { generation: (ticket.workflow?.generation ?? 0) + 1 };
}

/** Whether the change from `before` to `after` recorded a step completion (to send now). */
export function completedNow(before: Ticket, after: Ticket): boolean {
  const completing = after.workflow?.completing;
  return completing !== undefined && completing.taskToken !== before.workflow?.completing?.taskToken;
}
