import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Clock } from '@shared/clock';
import type { MarketplaceRegistry } from '@shared/config/marketplaces';
import { NotFoundError, UnauthorizedError } from '@shared/errors';
import { parseJson, parseWith, rawBody } from '@shared/http/parse';
import { jsonResponse } from '@shared/http/responses';
import { logger } from '@shared/logger';
import { ticketIdFor } from '@shared/tickets/ticket';
import { webhookEventSchema, type QueuedEvent } from '@shared/webhooks/events';
import type { Inbox, InboxItem } from '@shared/webhooks/inbox';
import { verifyMarketplaceRequest } from '@shared/webhooks/request-signature';

export interface ReceiveWebhookDeps {
  readonly inbox: Inbox;
  readonly sqs: SQSClient;
  readonly eventsQueueUrl: string;
  readonly registry: () => Promise<MarketplaceRegistry>;
  readonly clock: Clock;
}

/**
 * `POST /webhooks/{marketplace}`: verify the signature, validate the body, store the event
 * in the inbox (durable before the answer), queue it, answer 202. A redelivery answers the
 * same with `duplicate: true` and changes nothing; if the first delivery stored the event but
 * could not queue it (and answered 5xx), the redelivery queues it.
 */
export function createReceiveWebhook(deps: ReceiveWebhookDeps) {
  return async function receiveWebhook(event: APIGatewayProxyEventV2) {
    const marketplace = event.pathParameters?.marketplace ?? '';
    const { marketplaces } = await deps.registry();
    // Own keys only: a path such as /webhooks/constructor must not find Object's properties.
    const config = Object.hasOwn(marketplaces, marketplace) ? marketplaces[marketplace] : undefined;
    if (!config) throw new NotFoundError(`unknown marketplace "${marketplace}"`);

    const body = rawBody(event);
    const signature = verifyMarketplaceRequest(config, event.headers, body, Math.floor(deps.clock.nowMs() / 1000));
    if (!signature.ok) throw new UnauthorizedError(signature.reason);

    const webhookEvent = parseWith(webhookEventSchema, parseJson(body));
    const item: InboxItem = {
      marketplace,
      eventId: webhookEvent.id,
      ticketId: ticketIdFor(marketplace, webhookEvent.data.reference),
      event: webhookEvent,
      receivedAt: deps.clock.now().toISOString(),
      status: 'received',
    };
    const outcome = await deps.inbox.store(item, body);
    const stored = outcome.stored ? item : outcome.existing;
    // A new event is queued; a redelivery only when queuing it failed the first time.
    if (outcome.stored || (stored.status === 'received' && stored.queueFailed)) await queue(deps, stored);

    return jsonResponse(202, { eventId: stored.eventId, ticketId: stored.ticketId, duplicate: !outcome.stored });
  };
}

/**
 * Queues a stored event. If that fails the caller gets a 5xx (its retry will queue it again)
 * and the inbox notes the failure; should even that note fail, the sweeper queues the event.
 */
async function queue(deps: ReceiveWebhookDeps, item: InboxItem): Promise<void> {
  const message: QueuedEvent = { marketplace: item.marketplace, eventId: item.eventId };
  try {
    await deps.sqs.send(new SendMessageCommand({ QueueUrl: deps.eventsQueueUrl, MessageBody: JSON.stringify(message) }));
  } catch (error) {
    await deps.inbox.markQueueFailed(item).catch((noteError: unknown) => logger.error('could not note a failed queuing', { error: noteError as Error }));
    throw error;
  }
}
