import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import type { ActivityTracker } from './activity';
import { LOCAL_REGION } from './aws/local-aws-environment';
import { localQueueCounts } from './aws/sqs-local';
import { IDLE_POLL_MAX_MS, IDLE_POLL_MIN_MS, IdleRest } from './idle-rest';

export interface QueuePollerOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly batchSize: number;
  /** Pollers run side by side, each receiving and handling one batch at a time. */
  readonly concurrentBatches: number;
  readonly invoke: (event: SQSEvent) => Promise<unknown>;
  readonly activity: ActivityTracker;
  /** The queue's visibility timeout: how long a failed message stays away before its retry. */
  readonly visibilityTimeoutSeconds: number;
  readonly onError: (error: unknown) => void;
}

/** Real milliseconds the extra pollers rest after an empty receive, unless a full batch wakes them. */
const EXTRA_POLLER_REST_MS = 1_000;

/**
 * The local SQS event source mapping: receives batches (`concurrentBatches` at once), calls
 * the consumer with the SQS event shape Lambda sends, deletes what succeeded and honours
 * `batchItemFailures`. A thrown error fails the whole batch, as with Lambda. A failed message
 * is left alone: it comes back after the queue's visibility timeout, and the queue's redrive
 * policy moves it to its DLQ after `maxReceiveCount` receives, as in AWS.
 *
 * For "settled", a message is pending work from when it is sent until it is deleted, except
 * while it waits out its visibility timeout after a failure: its retry comes on real time.
 */
export class QueuePoller {
  private running = false;
  private loops: Promise<void>[] = [];
  private readonly stopController = new AbortController();
  /** Failed messages waiting out their visibility timeout: message id → when they are visible again. */
  private readonly parked = new Map<string, number>();
  private readonly firstPollerRest = new IdleRest(IDLE_POLL_MIN_MS, IDLE_POLL_MAX_MS);
  private readonly extraPollersRest = new IdleRest(EXTRA_POLLER_REST_MS, EXTRA_POLLER_REST_MS);

  constructor(private readonly options: QueuePollerOptions) {}

  start(): void {
    this.running = true;
    this.options.activity.addProbe(() => this.hasPendingMessages());
    this.loops = Array.from({ length: this.options.concurrentBatches }, (_, poller) => this.pollUntilStopped(poller));
  }

  async stop(): Promise<void> {
    this.running = false;
    this.stopController.abort();
    this.firstPollerRest.wake();
    this.extraPollersRest.wake();
    await Promise.all(this.loops);
  }

  /**
   * Messages waiting, and messages received but not finished, are pending work (counting the
   * latter closes the gap between a receive and the delivery it leads to). Failed messages
   * waiting out their visibility timeout are not. Messages waiting wake the first poller.
   */
  private async hasPendingMessages(): Promise<boolean> {
    if (!this.running) return false;
    const { Attributes } = await this.options.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: this.options.queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    const now = Date.now();
    for (const [messageId, visibleAt] of this.parked) if (visibleAt <= now) this.parked.delete(messageId);
    const { waiting, inFlight } = localQueueCounts(Attributes);
    if (waiting > 0) this.firstPollerRest.wake();
    return waiting > 0 || inFlight > this.parked.size;
  }

  /**
   * The first poller polls an empty queue after a rest that grows while it stays empty
   * ({@link IdleRest}); the others (if any) rest longer and are woken when a full batch shows
   * that more is waiting, so an idle stack is not polled several times over.
   */
  private async pollUntilStopped(poller: number): Promise<void> {
    const idle = poller === 0 ? this.firstPollerRest : this.extraPollersRest;
    while (this.running) {
      try {
        const received = await this.receiveAndDeliver();
        if (received === this.options.batchSize) this.extraPollersRest.wake();
        if (received > 0) idle.found();
        else await idle.afterEmptyPoll();
      } catch (error) {
        if (!this.running) return;
        this.options.onError(error);
        await idle.restFor(500);
      }
    }
  }

  /** How many messages it received (and handed to the consumer). */
  private async receiveAndDeliver(): Promise<number> {
    const { Messages } = await this.options.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: this.options.queueUrl,
        MaxNumberOfMessages: this.options.batchSize,
        WaitTimeSeconds: 0,
        MessageSystemAttributeNames: ['All'],
        // local-aws-sqs reads the older parameter name; AWS accepts both.
        AttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
      { abortSignal: this.stopController.signal },
    );
    if (!Messages?.length) return 0;
    await this.options.activity.run(() => this.deliver(Messages));
    return Messages.length;
  }

  private async deliver(messages: Message[]): Promise<void> {
    const records = messages.map((message) => this.toRecord(message));
    let failedIds: Set<string>;
    try {
      const result = (await this.options.invoke({ Records: records })) as { batchItemFailures?: { itemIdentifier: string }[] } | null;
      failedIds = new Set((result?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
    } catch (error) {
      this.options.onError(error);
      failedIds = new Set(records.map((record) => record.messageId));
    }
    const retryAt = Date.now() + this.options.visibilityTimeoutSeconds * 1000;
    for (const id of failedIds) this.parked.set(id, retryAt);
    const succeeded = messages.filter((message) => !failedIds.has(message.MessageId!));
    if (succeeded.length) {
      await this.options.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.options.queueUrl,
          Entries: succeeded.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle! })),
        }),
      );
    }
  }

  private toRecord(message: Message): SQSRecord {
    const attributes = message.Attributes ?? {};
    return {
      messageId: message.MessageId!,
      receiptHandle: message.ReceiptHandle!,
      body: message.Body ?? '',
      attributes: {
        ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
        SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
        SenderId: attributes.SenderId ?? 'local',
        ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
      },
      messageAttributes: Object.fromEntries(
        Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
          name,
          { stringValue: value.StringValue, dataType: value.DataType ?? 'String' },
        ]),
      ),
      md5OfBody: message.MD5OfBody ?? '',
      eventSource: 'aws:sqs',
      eventSourceARN: this.options.queueArn,
      awsRegion: LOCAL_REGION,
    };
  }
}
