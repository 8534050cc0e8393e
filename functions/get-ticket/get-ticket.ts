import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { callerOf } from '@shared/auth/caller';
import { ticketForCaller } from '@shared/auth/route-access';
import { verifyChain } from '@shared/audit/verify-chain';
import { TicketNotFoundError } from '@shared/errors';
import { jsonResponse } from '@shared/http/responses';
import { publicTicket } from '@shared/tickets/public-view';
import type { TicketRepository } from '@shared/tickets/ticket-repository';

export interface GetTicketDeps {
  readonly tickets: TicketRepository;
}

/**
 * `GET /tickets/{id}`: the ticket with its stage, tier, deadlines and breaches.
 * `GET /audit/tickets/{id}`: its ordered audit events, the chain verification, and the
 * chain head the ticket itself records (`head`), so a verifier can tell a chain whose last
 * events were removed. Who may call which is in shared/auth/route-access.ts; a ticket
 * outside the caller's marketplace grant, or missing, gets the same 403.
 */
export function createGetTicket(deps: GetTicketDeps) {
  return async function getTicket(event: APIGatewayProxyEventV2) {
    const caller = callerOf(event);
    const id = event.pathParameters?.id ?? '';
    const ticket = await ticketForCaller(caller, () => deps.tickets.find(id), () => new TicketNotFoundError(`ticket ${id} not found`));
    if (event.routeKey.startsWith('GET /audit/')) {
      const events = await deps.tickets.history(ticket.id);
      const head = { seq: ticket.auditSeq, hash: ticket.auditHead, last: true };
      return jsonResponse(200, { ticketId: ticket.id, marketplace: ticket.marketplace, events, chain: verifyChain(events, head), head });
    }
    return jsonResponse(200, { ticket: publicTicket(ticket) });
  };
}
