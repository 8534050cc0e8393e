import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { ActivityTracker } from '../../../infra/local/activity';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../infra/local/aws/local-aws-environment';
import { startSqsLocal, type SqsLocal } from '../../../infra/local/aws/sqs-local';
import { QueuePoller } from '../../../infra/local/queue-poller';

describe('QueuePoller on local SQS', () => {
  let sqsLocal: SqsLocal;
  let client: SQSClient;
  let poller: QueuePoller | undefined;

  beforeEach(async () => {
    sqsLocal = await startSqsLocal(
      { work: { envVar: 'WORK_QUEUE_URL', deadLetterEnvVar: 'WORK_DEAD_LETTER_QUEUE_URL', visibilityTimeoutSeconds: 1, maxReceiveCount: 3, retentionDays: 1 } },
      { work: 'work' },
    );
    client = new SQSClient({ endpoint: sqsLocal.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  });

  afterEach(async () => {
    await poller?.stop();
    client.destroy();
    await sqsLocal.stop();
  });

  /** Starts a poller on the test queue that calls `invoke` as Lambda's event source would. */
  function startPoller(
    invoke: (event: SQSEvent) => Promise<unknown>,
    { batchSize = 10, concurrentBatches = 1, local = sqsLocal, sqs = client, visibilityTimeoutSeconds = 1 } = {},
  ): ActivityTracker {
    const queue = local.queues.work!;
    const activity = new ActivityTracker();
    poller = new QueuePoller({
      sqs,
      queueUrl: queue.url,
      queueArn: queue.arn,
      batchSize,
      concurrentBatches,
      visibilityTimeoutSeconds,
      activity,
      onError: () => undefined,
      invoke,
    });
    poller.start();
    return activity;
  }

  /** Polls until `condition` holds, failing after `timeoutMs`. */
  async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
    const giveUpAt = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > giveUpAt) throw new Error(`condition not met within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async function receiveWithin(queueUrl: string, timeoutMs: number) {
    const giveUpAt = Date.now() + timeoutMs;
    for (;;) {
      const { Messages } = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }));
      if (Messages?.length) return Messages;
      if (Date.now() > giveUpAt) throw new Error(`nothing arrived on ${queueUrl} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('delivers SQS events, deletes what succeeded and dead-letters what keeps failing', async () => {
    const queue = sqsLocal.queues.work!;
    const deliveries: { body: string; receiveCount: string }[] = [];
    startPoller(async (event: SQSEvent) => {
      for (const record of event.Records) {
        expect(record).toMatchObject({ eventSource: 'aws:sqs', eventSourceARN: queue.arn, awsRegion: LOCAL_REGION });
        deliveries.push({ body: record.body, receiveCount: record.attributes.ApproximateReceiveCount });
      }
      const failures = event.Records.filter((record) => record.body === 'poison').map((record) => ({ itemIdentifier: record.messageId }));
      return { batchItemFailures: failures };
    });

    await client.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'good' }));
    await client.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'poison' }));
    // Retries come after the queue's (1 s) visibility timeout, on real time, as in AWS.
    const dead = await receiveWithin(queue.deadLetterUrl, 15_000);
    expect(dead.map((message) => message.Body)).toEqual(['poison']);

    expect(deliveries.filter((d) => d.body === 'good')).toHaveLength(1);
    expect(deliveries.filter((d) => d.body === 'poison').map((d) => d.receiveCount)).toEqual(['1', '2', '3']);
    const remaining = await client.send(
      new GetQueueAttributesCommand({ QueueUrl: queue.url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
    );
    expect(remaining.Attributes).toEqual({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' });
  });

  it('retries the whole batch when the consumer throws', async () => {
    const queue = sqsLocal.queues.work!;
    let calls = 0;
    const activity = startPoller(async () => {
      calls += 1;
      if (calls === 1) throw new Error('cold start failed');
      return { batchItemFailures: [] };
    });
    await client.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'once-failed' }));
    await waitFor(() => calls === 2, 15_000);
    await activity.settled(30_000);

    expect(calls).toBe(2);
    const dead = await client.send(new ReceiveMessageCommand({ QueueUrl: queue.deadLetterUrl }));
    expect(dead.Messages ?? []).toHaveLength(0);
  });

  it('is settled while a failed message waits out its visibility timeout', async () => {
    // A queue whose failed messages come back only after a minute: settling must not wait for that.
    const slow = await startSqsLocal(
      { work: { envVar: 'WORK_QUEUE_URL', deadLetterEnvVar: 'WORK_DEAD_LETTER_QUEUE_URL', visibilityTimeoutSeconds: 60, maxReceiveCount: 3, retentionDays: 1 } },
      { work: 'slow-work' },
    );
    const slowClient = new SQSClient({ endpoint: slow.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    try {
      const calls: string[] = [];
      const activity = startPoller(
        async (event) => {
          calls.push(...event.Records.map((record) => record.body));
          return { batchItemFailures: event.Records.map((record) => ({ itemIdentifier: record.messageId })) };
        },
        { local: slow, sqs: slowClient, visibilityTimeoutSeconds: 60 },
      );
      await slowClient.send(new SendMessageCommand({ QueueUrl: slow.queues.work!.url, MessageBody: 'fails' }));
      await waitFor(() => calls.length === 1, 15_000);
      await activity.settled(5_000);

      expect(calls).toEqual(['fails']);
      const queued = await slowClient.send(
        new GetQueueAttributesCommand({ QueueUrl: slow.queues.work!.url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
      );
      // local-aws-sqs counts the message in flight in both figures; the poller takes the difference as waiting.
      expect(queued.Attributes).toEqual({ ApproximateNumberOfMessages: '1', ApproximateNumberOfMessagesNotVisible: '1' });
    } finally {
      await poller?.stop();
      poller = undefined;
      slowClient.destroy();
      await slow.stop();
    }
  });

  it('handles as many batches at once as it is given pollers, and each message once', async () => {
    const queue = sqsLocal.queues.work!;
    for (let n = 0; n < 4; n += 1) await client.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: `m-${n}` }));
    let inFlight = 0;
    let mostInFlight = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const bodies: string[] = [];
    // One message a batch, so four batches; the first three are held until all three are in.
    const activity = startPoller(async (event) => {
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      bodies.push(...event.Records.map((record) => record.body));
      if (mostInFlight === 3) release();
      await gate;
      inFlight -= 1;
      return { batchItemFailures: [] };
    }, { batchSize: 1, concurrentBatches: 3 });
    await activity.settled(30_000);

    expect(mostInFlight).toBe(3);
    expect(bodies.sort()).toEqual(['m-0', 'm-1', 'm-2', 'm-3']);
  });
});
