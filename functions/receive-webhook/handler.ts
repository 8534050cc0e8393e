import { dynamoDocumentClient, sqs } from '@shared/aws/clients';
import { clock } from '@shared/clock';
import { requireEnv } from '@shared/config/env';
import { loadMarketplaceRegistry } from '@shared/config/marketplaces';
import { httpHandler } from '@shared/http/http-handler';
import { Inbox } from '@shared/webhooks/inbox';
import { createReceiveWebhook } from './receive-webhook';

export const handler = httpHandler(
  createReceiveWebhook({
    inbox: new Inbox(dynamoDocumentClient(), requireEnv('INBOX_TABLE_NAME')),
    sqs: sqs(),
    eventsQueueUrl: requireEnv('EVENTS_QUEUE_URL'),
    registry: loadMarketplaceRegistry,
    clock,
  }),
);
