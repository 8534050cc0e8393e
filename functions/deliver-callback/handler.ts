import { dynamoDocumentClient } from '@shared/aws/clients';
import { clock } from '@shared/clock';
import { requireEnv } from '@shared/config/env';
import { loadMarketplaceRegistry } from '@shared/config/marketplaces';
import { messageStoreFromEnv } from '@shared/conversation/message-store-from-env';
import { counter } from '@shared/observability/metrics';
import { queueHandler } from '@shared/observability/handlers';
import { ticketRepositoryFromEnv } from '@shared/tickets/repository-from-env';
import { Inbox } from '@shared/webhooks/inbox';
import { createDeliverCallback } from './deliver-callback';

const deliver = createDeliverCallback({
  tickets: ticketRepositoryFromEnv(),
  registry: loadMarketplaceRegistry,
  fetch: (input, init) => fetch(input, init),
  messages: messageStoreFromEnv(),
  inbox: new Inbox(dynamoDocumentClient(), requireEnv('INBOX_TABLE_NAME')),
  clock,
  metrics: counter,
});

/** SQS consumer: a message that failed (not a refused delivery: that is retried from the ticket) is reported, retried, then dead-lettered. */
export const handler = queueHandler(deliver);
