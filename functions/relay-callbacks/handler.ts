import { dynamoDocumentClient, sqs } from '@shared/aws/clients';
import { clock } from '@shared/clock';
import { scheduledHandler } from '@shared/observability/handlers';
import { requireEnv } from '@shared/config/env';
import { ticketRepositoryFromEnv } from '@shared/tickets/repository-from-env';
import { Inbox } from '@shared/webhooks/inbox';
import { createRelayCallbacks } from './relay-callbacks';

export const handler = scheduledHandler(
  createRelayCallbacks({
    tickets: ticketRepositoryFromEnv(),
    inbox: new Inbox(dynamoDocumentClient(), requireEnv('INBOX_TABLE_NAME')),
    sqs: sqs(),
    callbacksQueueUrl: requireEnv('CALLBACKS_QUEUE_URL'),
    clock,
  }),
);
