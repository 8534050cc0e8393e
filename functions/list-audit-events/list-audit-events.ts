import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { callerOf } from '@shared/auth/caller';
import { requireMarketplace } from '@shared/auth/route-access';
import { auditEventsParamsSchema, auditQueryOf, parseQueryParams } from '@shared/audit/audit-query-params';
import type { AuditTrail } from '@shared/audit/audit-trail';
import { jsonResponse } from '@shared/http/responses';

export interface ListAuditEventsDeps {
  readonly audit: AuditTrail;
}

/**
 * `GET /audit/events?marketplace=&from=&to=[&actor=][&action=][&cursor=][&limit=]`: one page
 * of a marketplace's audit records in `[from, to)`, in time order, with the cursor of the
 * next page. One Query on an index per page, whatever the table's size.
 */
export function createListAuditEvents(deps: ListAuditEventsDeps) {
  return async function listAuditEvents(event: APIGatewayProxyEventV2) {
    const caller = callerOf(event);
    const params = parseQueryParams(auditEventsParamsSchema, event.queryStringParameters);
    requireMarketplace(caller, params.marketplace);
    const page = await deps.audit.page(auditQueryOf(params), params.cursor, params.limit);
    return jsonResponse(200, {
      marketplace: params.marketplace,
      from: params.from,
      to: params.to,
      events: page.events,
      ...(page.cursor ? { cursor: page.cursor } : {}),
    });
  };
}
