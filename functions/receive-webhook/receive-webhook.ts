import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Clock } from '@shared/clock';
import type { MarketplaceRegistry } from '@shared/config/marketplaces';
import { NotFoundError, UnauthorizedError } from '@shared/errors';
import { parseJson, parseWith, rawBody } from '@shared/http/parse';
import { jsonResponse } from '@shared/http/responses';
import { ticketIdFor } from '@shared/tickets/ticket';
import { webhookEventSchema, type QueuedEvent } from '@shared/webhooks/events';
import type { Inbox, InboxItem } from '@shared/webhooks/inbox';
import { verifySignature } from '@shared/webhooks/signature';

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
 * same with `duplicate: true` and changes nothing; if the first delivery stored but could not
 * queue, the redelivery queues it (the consumer applies each event once).
 */
export function createReceiveWebhook(deps: ReceiveWebhookDeps) {
  return async function receiveWebhook(event: APIGatewayProxyEventV2) {
    const marketplace = event.pathParameters?.marketplace ?? '';
    const config = (await deps.registry()).marketplaces[marketplace];
    if (!config) throw new NotFoundError(`unknown marketplace "${marketplace}"`);

    const body = rawBody(event);
    const signature = verifySignature({
      secrets: config.webhookSecrets,
      timestampHeader: event.headers['x-aftercare-timestamp'],
      signatureHeader: event.headers['x-aftercare-signature'],
      rawBody: body,
      nowSeconds: Math.floor(deps.clock.nowMs() / 1000),
    });
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
    const outcome = await deps.inbox.store(item);
    const stored = outcome.stored ? item : outcome.existing;
    if (stored.status === 'received') await queue(deps, { marketplace, eventId: stored.eventId });

    return jsonResponse(202, { eventId: stored.eventId, ticketId: stored.ticketId, duplicate: !outcome.stored });
  };
}

async function queue(deps: ReceiveWebhookDeps, message: QueuedEvent): Promise<void> {
  await deps.sqs.send(new SendMessageCommand({ QueueUrl: deps.eventsQueueUrl, MessageBody: JSON.stringify(message) }));
}
