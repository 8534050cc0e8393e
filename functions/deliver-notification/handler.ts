import { dynamoDocumentClient, sqs } from '@shared/aws/clients';
import { clock } from '@shared/clock';
import { requireEnv } from '@shared/config/env';
import { loadMarketplaceRegistry } from '@shared/config/marketplaces';
import { NotificationStore } from '@shared/notifications/notification-store';
import { counter } from '@shared/observability/metrics';
import { queueHandler } from '@shared/observability/handlers';
import { ticketRepositoryFromEnv } from '@shared/tickets/repository-from-env';
import { createDeliverNotification } from './deliver-notification';

const deliver = createDeliverNotification({
  tickets: ticketRepositoryFromEnv(),
  store: new NotificationStore(dynamoDocumentClient(), requireEnv('NOTIFICATIONS_TABLE_NAME')),
  registry: loadMarketplaceRegistry,
  fetch: (input, init) => fetch(input, init),
  sqs: sqs(),
  queueUrl: requireEnv('NOTIFICATIONS_QUEUE_URL'),
  deadLetterQueueUrl: requireEnv('NOTIFICATIONS_DEAD_LETTER_QUEUE_URL'),
  clock,
  metrics: counter,
});

/** SQS consumer: a message whose handling failed (not a failed delivery, which is retried by re-queuing) is reported, so only it comes back. */
export const handler = queueHandler(deliver);
