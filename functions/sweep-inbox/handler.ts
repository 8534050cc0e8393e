import { dynamoDocumentClient, sqs } from '@shared/aws/clients';
import { clock } from '@shared/clock';
import { scheduledHandler } from '@shared/observability/handlers';
import { requireEnv } from '@shared/config/env';
import { loadMarketplaceRegistry } from '@shared/config/marketplaces';
import { Inbox } from '@shared/webhooks/inbox';
import { createSweepInbox } from './sweep-inbox';

export const handler = scheduledHandler(
  createSweepInbox({
    inbox: new Inbox(dynamoDocumentClient(), requireEnv('INBOX_TABLE_NAME')),
    sqs: sqs(),
    eventsQueueUrl: requireEnv('EVENTS_QUEUE_URL'),
    registry: loadMarketplaceRegistry,
    clock,
  }),
);
