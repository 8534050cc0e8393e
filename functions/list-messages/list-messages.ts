import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { callerOf } from '@shared/auth/caller';
import { INTERNAL_NOTE_ROLES, ticketForCaller } from '@shared/auth/route-access';
import type { MessageStore } from '@shared/conversation/message-store';
import { listMessagesQuery, messageView } from '@shared/conversation/message-view';
import { TicketNotFoundError } from '@shared/errors';
import { ticketIdParam } from '@shared/http/identifiers';
import { parseWith } from '@shared/http/parse';
import { jsonResponse } from '@shared/http/responses';
import type { TicketRepository } from '@shared/tickets/ticket-repository';

export interface ListMessagesDeps {
  readonly tickets: Pick<TicketRepository, 'find'>;
  readonly messages: Pick<MessageStore, 'page'>;
}

/**
 * `GET /tickets/{id}/messages`: the ticket's conversation in the order it was recorded, one
 * page at a time. Internal notes are shown to agents, managers and admins only; merchants
 * and auditors see the public messages. Route roles: shared/auth/route-access.ts.
 */
export function createListMessages(deps: ListMessagesDeps) {
  return async function listMessages(event: APIGatewayProxyEventV2) {
    const caller = callerOf(event);
    const query = parseWith(listMessagesQuery, event.queryStringParameters ?? {}, 'query');
    const id = ticketIdParam(event);
    const ticket = await ticketForCaller(caller, () => deps.tickets.find(id), () => new TicketNotFoundError(`ticket ${id} not found`));
    const page = await deps.messages.page(ticket.id, { internal: INTERNAL_NOTE_ROLES.includes(caller.role), limit: query.limit, cursor: query.cursor });
    return jsonResponse(200, { ticketId: ticket.id, messages: page.messages.map(messageView), ...(page.cursor ? { cursor: page.cursor } : {}) });
  };
}
