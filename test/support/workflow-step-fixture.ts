import { SQSClient } from '@aws-sdk/client-sqs';
import { queues } from '@infra/resources';
import type { Clock } from '@shared/clock';
import { TicketRepository } from '@shared/tickets/ticket-repository';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../infra/local/aws/local-aws-environment';
import { startSqsLocal } from '../../infra/local/aws/sqs-local';
import { startDynamoFixture } from './dynamodb-fixture';

export interface WorkflowStepFixture {
  readonly tickets: TicketRepository;
  readonly sqs: SQSClient;
  readonly notificationsQueueUrl: string;
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
    stop: async () => {
      sqs.destroy();
      await sqsLocal.stop();
      await dynamo.stop();
    },
  };
}
