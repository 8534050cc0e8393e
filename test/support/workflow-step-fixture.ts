import { SQSClient } from '@aws-sdk/client-sqs';
import { queues } from '@infra/resources';
import type { Clock } from '@shared/clock';
import type { MarketplaceRegistry } from '@shared/config/marketplaces';
import { TicketRepository } from '@shared/tickets/ticket-repository';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../infra/local/aws/local-aws-environment';
import { startSqsLocal } from '../../infra/local/aws/sqs-local';
import { startDynamoFixture } from './dynamodb-fixture';

export interface WorkflowStepFixture {
  readonly tickets: TicketRepository;
  readonly sqs: SQSClient;
  readonly notificationsQueueUrl: string;
  /** A registry with no on-call channel: a notification is only queued, and nothing is posted. */
  readonly registry: () => Promise<MarketplaceRegistry>;
  readonly fetch: typeof fetch;
  stop(): Promise<void>;
}

/** What the workflow's Lambda steps run on, for calling them directly: DynamoDB Local's tables and the notifications queue. */
export async function startWorkflowStepFixture(clock: Clock): Promise<WorkflowStepFixture> {
  const dynamo = await startDynamoFixture();
  const sqsLocal = await startSqsLocal({ notifications: queues.notifications }, { notifications: 'test-notifications' });
  const sqs = new SQSClient({ endpoint: sqsLocal.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  return {
    tickets: new TicketRepository({ client: dynamo.client, ticketsTable: dynamo.tableNames.tickets, auditTable: dynamo.tableNames.audit, clock }),
    sqs,
    notificationsQueueUrl: sqsLocal.queues.notifications!.url,
    registry: async () => ({ marketplaces: {}, onCall: {} }),
    fetch: () => Promise.reject(new Error('no on-call channel is configured: nothing is posted')),
    stop: async () => {
      sqs.destroy();
      await sqsLocal.stop();
      await dynamo.stop();
    },
  };
}
