import { sqs } from '@shared/aws/clients';
import { clock } from '@shared/clock';
import { requireEnv } from '@shared/config/env';
import { loadMarketplaceRegistry } from '@shared/config/marketplaces';
import { counter } from '@shared/observability/metrics';
import { workflowHandler } from '@shared/observability/handlers';
import { ticketRepositoryFromEnv } from '@shared/tickets/repository-from-env';
import { createRecordDeadline } from './record-deadline';

export const handler = workflowHandler(
  createRecordDeadline({
    tickets: ticketRepositoryFromEnv(),
    sqs: sqs(),
    notificationsQueueUrl: requireEnv('NOTIFICATIONS_QUEUE_URL'),
    registry: loadMarketplaceRegistry,
    fetch: (input, init) => fetch(input, init),
    clock,
    metrics: counter,
  }),
);
