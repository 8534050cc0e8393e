import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { callerOf } from '@shared/auth/caller';
import { marketplaceForQuery } from '@shared/auth/route-access';
import { parseWith } from '@shared/http/parse';
import { jsonResponse } from '@shared/http/responses';
import { listTicketsQuery, ticketSummaryQuery, type TicketFilters } from '@shared/tickets/queue-query';
import type { TicketQueue } from '@shared/tickets/ticket-queue';

export interface ListTicketsDeps {
  readonly queue: Pick<TicketQueue, 'list' | 'summary'>;
}

/**
 * `GET /tickets`: one page of a marketplace's work queue, filtered (assignee `me` is the
 * caller), open tickets soonest due first, closed ones newest first.
 * `GET /tickets/summary` (manager, admin): the counts a manager's board shows.
 * Route roles are checked by the HTTP middleware (shared/auth/route-access.ts); the
 * marketplace must be within the caller's grant.
 */
export function createListTickets(deps: ListTicketsDeps) {
  return async function listTickets(event: APIGatewayProxyEventV2) {
    const caller = callerOf(event);
    if (event.routeKey === 'GET /tickets/summary') {
      const query = parseWith(ticketSummaryQuery, event.queryStringParameters ?? {}, 'query');
      return jsonResponse(200, await deps.queue.summary(marketplaceForQuery(caller, query.marketplace)));
    }
    const { marketplace, limit, cursor, assignee, ...rest } = parseWith(listTicketsQuery, event.queryStringParameters ?? {}, 'query');
    const filters: TicketFilters = {
      ...rest,
      marketplace: marketplaceForQuery(caller, marketplace),
      ...(assignee === undefined ? {} : { assignee: assignee === 'me' ? caller.subject : assignee }),
    };
    const page = await deps.queue.list(filters, limit, cursor);
    return jsonResponse(200, { items: page.items, ...(page.cursor ? { cursor: page.cursor } : {}) });
  };
}
