import type { Server } from 'node:http';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createSqsServer } from 'local-aws-sqs';
import type { QueueSpec } from '@infra/resources';
import { LOCAL_ACCOUNT_ID, LOCAL_CREDENTIALS, LOCAL_REGION } from './local-aws-environment';

export interface LocalQueue {
  readonly url: string;
  readonly arn: string;
  readonly deadLetterUrl: string;
}

export interface SqsLocal {
  readonly endpoint: string;
  readonly queues: Record<string, LocalQueue>;
  stop(): Promise<void>;
}

/**
 * Starts `local-aws-sqs` (the SQS JSON protocol, with DLQ redrive) on 127.0.0.1 and creates
 * each queue of the description with its dead-letter queue. Messages live in memory.
 */
export async function startSqsLocal(specs: Readonly<Record<string, QueueSpec>>, names: Record<string, string>): Promise<SqsLocal> {
  const server: Server = await createSqsServer({
    port: 0,
    hostname: '127.0.0.1',
    region: LOCAL_REGION,
    accountId: LOCAL_ACCOUNT_ID,
    emulateQueueCreationLifecycle: false,
  });
  const address = server.address();
  const endpoint = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const client = new SQSClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  const queues: Record<string, LocalQueue> = {};
  try {
    for (const [id, spec] of Object.entries(specs)) {
      const name = names[id]!;
      const dlq = await client.send(
        new CreateQueueCommand({
          QueueName: `${name}-dlq`,
          Attributes: { MessageRetentionPeriod: String(14 * 86_400) },
        }),
      );
      const dlqArn = await queueArn(client, dlq.QueueUrl!);
      const queue = await client.send(
        new CreateQueueCommand({
          QueueName: name,
          Attributes: {
            VisibilityTimeout: String(spec.visibilityTimeoutSeconds),
            MessageRetentionPeriod: String(spec.retentionDays * 86_400),
            RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: spec.maxReceiveCount }),
          },
        }),
      );
      queues[id] = { url: queue.QueueUrl!, arn: await queueArn(client, queue.QueueUrl!), deadLetterUrl: dlq.QueueUrl! };
    }
  } finally {
    client.destroy();
  }
  return {
    endpoint,
    queues,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function queueArn(client: SQSClient, url: string): Promise<string> {
  const attributes = await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  return attributes.Attributes!.QueueArn!;
}

/**
 * A queue's messages as local-aws-sqs counts them in `GetQueueAttributes`: it counts the
 * messages in flight in `ApproximateNumberOfMessages` as well (AWS counts only those ready to
 * receive), so those waiting are the difference.
 */
export function localQueueCounts(attributes: Readonly<Record<string, string>> | undefined): { waiting: number; inFlight: number } {
  const inFlight = Number(attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
  return { waiting: Number(attributes?.ApproximateNumberOfMessages ?? 0) - inFlight, inFlight };
}
