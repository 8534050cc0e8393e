import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { callerOf, canSeeMarketplace } from '@shared/auth/caller';
import { verifyChain } from '@shared/audit/verify-chain';
import { ForbiddenError } from '@shared/errors';
import { jsonResponse } from '@shared/http/responses';
import { publicTicket } from '@shared/tickets/public-view';
import type { TicketRepository } from '@shared/tickets/ticket-repository';

export interface GetTicketDeps {
  readonly tickets: TicketRepository;
}

/**
 * `GET /tickets/{id}`: the ticket with its stage, tier, deadlines and breaches.
 * `GET /audit/tickets/{id}`: its ordered audit events and the chain verification.
 * Every role may read within its marketplace grant.
 */
export function createGetTicket(deps: GetTicketDeps) {
  return async function getTicket(event: APIGatewayProxyEventV2) {
    const caller = callerOf(event);
    const ticket = await deps.tickets.get(event.pathParameters?.id ?? '');
    if (!canSeeMarketplace(caller, ticket.marketplace)) {
      throw new ForbiddenError('this ticket belongs to a marketplace outside your grant');
    }
    if (event.routeKey.startsWith('GET /audit/')) {
      const events = await deps.tickets.history(ticket.id);
      return jsonResponse(200, { ticketId: ticket.id, events, chain: verifyChain(events) });
    }
    return jsonResponse(200, { ticket: publicTicket(ticket) });
  };
}
