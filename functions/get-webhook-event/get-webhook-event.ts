import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Clock } from '@shared/clock';
import type { MarketplaceRegistry } from '@shared/config/marketplaces';
import type { BearerVerifier } from '@shared/auth/bearer-token';
import { callerFromClaims, requireRole } from '@shared/auth/caller';
import { requireMarketplace } from '@shared/auth/route-access';
import { NotFoundError, UnauthorizedError } from '@shared/errors';
import { jsonResponse } from '@shared/http/responses';
import { HOLD_LIMIT_SECONDS } from '@shared/webhooks/hold-limit';
import type { Inbox, InboxItem } from '@shared/webhooks/inbox';
import { verifyMarketplaceRequest } from '@shared/webhooks/request-signature';

export interface GetWebhookEventDeps {
  readonly inbox: Pick<Inbox, 'find'>;
  readonly registry: () => Promise<MarketplaceRegistry>;
  readonly clock: Clock;
  readonly verifyBearer: BearerVerifier;
}

/**
 * `GET /webhooks/{marketplace}/events/{id}`: what became of an event after its 202. Signed
 * like a webhook, by the marketplace's scheme and with one of its secrets, over `GET.<path>`
 * in place of the body (there is none), within the same window; an event of another
 * marketplace is not found. An admin may ask too, with a bearer token (verified here: the
 * gateway leaves this route open for the signed callers) whose grant covers the marketplace.
 */
export function createGetWebhookEvent(deps: GetWebhookEventDeps) {
  return async function getWebhookEvent(event: APIGatewayProxyEventV2) {
    const marketplace = event.pathParameters?.marketplace ?? '';
    const eventId = event.pathParameters?.id ?? '';
    const { marketplaces } = await deps.registry();
    const config = Object.hasOwn(marketplaces, marketplace) ? marketplaces[marketplace] : undefined;
    if (!config) throw new NotFoundError(`unknown marketplace "${marketplace}"`);

    const authorization = event.headers.authorization;
    if (authorization !== undefined) {
      const caller = callerFromClaims(await deps.verifyBearer(authorization));
      requireRole(caller, ADMIN);
      requireMarketplace(caller, marketplace);
    } else {
      const signature = verifyMarketplaceRequest(config, event.headers, `GET.${event.rawPath}`, Math.floor(deps.clock.nowMs() / 1000));
      if (!signature.ok) throw new UnauthorizedError(signature.reason);
    }

    const item = eventId.length <= 128 ? await deps.inbox.find(marketplace, eventId) : undefined;
    if (!item) throw new NotFoundError(`no event "${eventId}" was received from ${marketplace} in the last 30 days`);
    return jsonResponse(200, eventStatus(item));
  };
}

/** Besides the marketplace itself, only admins may ask about its events. */
const ADMIN = ['admin'] as const;

/** The status of a received event, as the marketplace reads it. */
export function eventStatus(item: InboxItem) {
  const common = { eventId: item.eventId, type: item.event.type, reference: item.event.data.reference, receivedAt: item.receivedAt, status: item.status };
  switch (item.status) {
    case 'received':
      return common;
    case 'applied':
      return { ...common, ticketId: item.ticketId, appliedAt: item.appliedAt };
    case 'held':
      return {
        ...common,
        waitingFor: item.reason,
        heldUntil: new Date(Date.parse(item.receivedAt) + HOLD_LIMIT_SECONDS * 1000).toISOString(),
      };
    case 'rejected':
      return { ...common, reason: item.reason, rejectedAt: item.rejectedAt };
  }
}
