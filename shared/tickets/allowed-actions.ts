import { allowedComplaintActions } from '@shared/complaints/complaint-flow';
import { allowedReturnActions } from '@shared/returns/return-actions';
import type { TicketAction } from './actions';
import type { Ticket } from './ticket';

/** Actions that do not move the workflow: allowed at every stage of an open ticket. */
const HOUSEKEEPING_ACTIONS: readonly TicketAction['type'][] = ['escalate', 'assign', 'note'];

/**
 * The actions an agent (complaint) or a merchant or manager (return) may take at the
 * ticket's stage: what `POST /tickets/{id}/actions` accepts, and what `GET /tickets/{id}`
 * offers as `allowedActions`.
 */
export function allowedActions(ticket: Ticket): TicketAction['type'][] {
  if (ticket.stage === 'closed') return [];
  const workflowActions = ticket.kind === 'return' ? allowedReturnActions(ticket.stage) : allowedComplaintActions(ticket);
  return [...workflowActions, ...HOUSEKEEPING_ACTIONS];
}
