import { dynamoDocumentClient, sqs, stepFunctions } from '@shared/aws/clients';
import { clock } from '@shared/clock';
import { requireEnv } from '@shared/config/env';
import { loadMarketplaceRegistry } from '@shared/config/marketplaces';
import { queueHandler } from '@shared/observability/handlers';
import { ticketRepositoryFromEnv } from '@shared/tickets/repository-from-env';
import { Inbox } from '@shared/webhooks/inbox';
import { createApplyEvent } from './apply-event';

const applyEvent = createApplyEvent({
  inbox: new Inbox(dynamoDocumentClient(), requireEnv('INBOX_TABLE_NAME')),
  tickets: ticketRepositoryFromEnv(),
  sfn: stepFunctions(),
  sqs: sqs(),
  eventsQueueUrl: requireEnv('EVENTS_QUEUE_URL'),
  stateMachineArns: { complaint: requireEnv('COMPLAINT_STATE_MACHINE_ARN'), return: requireEnv('RETURN_STATE_MACHINE_ARN') },
  registry: loadMarketplaceRegistry,
  clock,
});

/** SQS consumer: the messages that failed are reported, so only those are retried (then dead-lettered). */
export const handler = queueHandler(applyEvent);
