import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent } from 'aws-lambda';
import { dynamoDocumentClient, sqs, stepFunctions } from '@shared/aws/clients';
import { clock } from '@shared/clock';
import { requireEnv } from '@shared/config/env';
import { loadMarketplaceRegistry } from '@shared/config/marketplaces';
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

const processor = new BatchProcessor(EventType.SQS);

/** SQS consumer: reports the messages that failed, so only those are retried (then dead-lettered). */
export const handler = async (event: SQSEvent, context: Context) =>
  processPartialResponse(event, applyEvent, processor, { context });
