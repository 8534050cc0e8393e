import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { callerOf } from '@shared/auth/caller';
import { ticketForCaller } from '@shared/auth/route-access';
import type { CheckpointStore } from '@shared/audit/checkpoints';
import { verifyChain } from '@shared/audit/verify-chain';
import { TicketNotFoundError } from '@shared/errors';
import { ticketIdParam } from '@shared/http/identifiers';
import { jsonResponse } from '@shared/http/responses';
import { allowedActions } from '@shared/tickets/allowed-actions';
import { publicTicket } from '@shared/tickets/public-view';
import type { TicketRepository } from '@shared/tickets/ticket-repository';

export interface GetTicketDeps {
  readonly tickets: TicketRepository;
  readonly checkpoints: Pick<CheckpointStore, 'newest'>;
}

/**
 * `GET /tickets/{id}`: the ticket with its stage, tier, deadlines and breaches, and the
 * actions its stage allows (`allowedActions`).
 * `GET /audit/tickets/{id}`: its ordered audit events, the chain verification, the chain
 * head the ticket itself records (`head`), and the newest chain-head checkpoint from the
 * locked bucket (`checkpoint`), so a verifier can tell a chain whose last events were removed,
 * even when the ticket's own head was rewritten to match. Who may call which is in shared/auth/route-access.ts; a ticket
 * outside the caller's marketplace grant, or missing, gets the same 403.
 */
export function createGetTicket(deps: GetTicketDeps) {
  return async function getTicket(event: APIGatewayProxyEventV2) {
    const caller = callerOf(event);
    const id = ticketIdParam(event);
    const ticket = await ticketForCaller(caller, () => deps.tickets.find(id), () => new TicketNotFoundError(`ticket ${id} not found`));
    if (event.routeKey.startsWith('GET /audit/')) {
      const [events, checkpoint] = await Promise.all([deps.tickets.history(ticket.id), deps.checkpoints.newest({ kind: 'ticket', id: ticket.id })]);
      const head = { seq: ticket.auditSeq, hash: ticket.auditHead, last: true };
      const owner = { field: 'ticketId', value: ticket.id } as const;
      let chain = verifyChain(events, head, owner);
      if (chain.valid && checkpoint) chain = verifyChain(events, checkpoint, owner);
      return jsonResponse(200, { ticketId: ticket.id, marketplace: ticket.marketplace, events, chain, head, checkpoint: checkpoint ?? null });
    }
    return jsonResponse(200, { ticket: publicTicket(ticket), allowedActions: allowedActions(ticket) });
  };
}
