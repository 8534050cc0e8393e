import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent } from 'aws-lambda';
import { clock } from '@shared/clock';
import { loadMarketplaceRegistry } from '@shared/config/marketplaces';
import { ticketRepositoryFromEnv } from '@shared/tickets/repository-from-env';
import { createDeliverNotification } from './deliver-notification';

const deliver = createDeliverNotification({
  tickets: ticketRepositoryFromEnv(),
  registry: loadMarketplaceRegistry,
  fetch: (input, init) => fetch(input, init),
  clock,
});

const processor = new BatchProcessor(EventType.SQS);

/** SQS consumer: a failed delivery is reported, so only it is retried (then dead-lettered). */
export const handler = async (event: SQSEvent, context: Context) => processPartialResponse(event, deliver, processor, { context });
