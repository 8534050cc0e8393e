import type { SFNClient } from '@aws-sdk/client-sfn';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { callerOf, canSeeMarketplace, requireRole, type Caller } from '@shared/auth/caller';
import type { Clock } from '@shared/clock';
import { ConflictError, ForbiddenError } from '@shared/errors';
import { parseJson, parseWith, rawBody } from '@shared/http/parse';
import { jsonResponse } from '@shared/http/responses';
import { ticketActionSchema, type TicketAction } from '@shared/tickets/actions';
import { publicTicket } from '@shared/tickets/public-view';
import { retryOnConflict } from '@shared/tickets/retry-on-conflict';
import type { Ticket, TicketStage } from '@shared/tickets/ticket';
import type { TicketRepository } from '@shared/tickets/ticket-repository';
import { completeWorkflowStep } from '@shared/workflows/complete-step';

type Action = TicketAction;

/** The actions each stage accepts; anything else answers 409 naming these. */
const ALLOWED_ACTIONS: Record<TicketStage, readonly Action['type'][]> = {
  awaiting_first_response: ['respond'],
  handling: [],
  requested: [],
};

export interface ActOnTicketDeps {
  readonly tickets: TicketRepository;
  readonly sfn: SFNClient;
  readonly clock: Clock;
}

/**
 * `POST /tickets/{id}/actions`: an agent acts on a ticket. The change is written (with its
 * audit event) first, then the waiting workflow step is completed with the task token.
 */
export function createActOnTicket(deps: ActOnTicketDeps) {
  return async function actOnTicket(event: APIGatewayProxyEventV2) {
    const caller = callerOf(event);
    requireRole(caller, ['agent', 'manager', 'admin']);
    const action = parseWith(ticketActionSchema, parseJson(rawBody(event)));
    const ticketId = event.pathParameters?.id ?? '';

    // Without an expectedVersion the caller asked "do this now": a race with a workflow
    // step (e.g. the token being stored) is re-decided on the fresh ticket.
    const attempts = action.expectedVersion === undefined ? 5 : 1;
    const { before, after } = await retryOnConflict(async () => {
      const ticket = await deps.tickets.get(ticketId);
      authorize(caller, ticket);
      checkAllowed(ticket, action);
      const updated = await respond(deps, ticket, caller, action);
      return { before: ticket, after: updated };
    }, attempts);

    if (before.awaiting?.step === 'firstResponse') {
      await completeWorkflowStep(deps.sfn, before.awaiting.taskToken, { action: action.type, at: deps.clock.now().toISOString() });
    }
    return jsonResponse(200, { ticket: publicTicket(after) });
  };
}

function authorize(caller: Caller, ticket: Ticket): void {
  if (!canSeeMarketplace(caller, ticket.marketplace)) {
    throw new ForbiddenError('this ticket belongs to a marketplace outside your grant');
  }
}

function checkAllowed(ticket: Ticket, action: Action): void {
  const allowed = ALLOWED_ACTIONS[ticket.stage];
  if (!allowed.includes(action.type)) {
    throw new ConflictError(`action ${action.type} is not allowed at stage ${ticket.stage}`, {
      stage: ticket.stage,
      allowedActions: allowed,
    });
  }
  if (action.expectedVersion !== undefined && action.expectedVersion !== ticket.version) {
    throw new ConflictError(`ticket is at version ${ticket.version}, not ${action.expectedVersion}`, {
      version: ticket.version,
    });
  }
}

async function respond(deps: ActOnTicketDeps, ticket: Ticket, caller: Caller, action: Action): Promise<Ticket> {
  const now = deps.clock.now().toISOString();
  const deadline = ticket.deadlines.firstResponse;
  // Late once past the due time, or once the breach was recorded (the timeout fires at the due time itself).
  const late = deadline !== undefined && (deadline.breachedAt !== undefined || Date.parse(now) > Date.parse(deadline.dueAt));
  return deps.tickets.update(
    ticket,
    {
      stage: 'handling',
      deadlines: deadline ? { ...ticket.deadlines, firstResponse: { ...deadline, metAt: now } } : ticket.deadlines,
      awaiting: undefined,
    },
    {
      actor: { type: caller.role, id: caller.subject },
      via: 'api',
      action: 'ticket.responded',
      reason: late ? `first response after its deadline (${deadline?.dueAt})` : undefined,
    },
  );
}
