import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { localQueueCounts } from '../infra/local/aws/sqs-local';
import type { StackProcess } from './stack-process';

const POLL_MS = 500;

/** The stack's events queue: its depth (messages visible or in flight, i.e. webhooks accepted but not yet applied). */
export class EventsQueue {
  private readonly sqs: SQSClient;
  private readonly queueUrl: string;

  constructor(stack: StackProcess) {
    const endpoint = stack.announced('sqs endpoint');
    this.sqs = new SQSClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    this.queueUrl = `${endpoint}/000000000000/aftercare-events`;
  }

  async depth(): Promise<number> {
    const { Attributes } = await this.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: this.queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
    );
    const { waiting, inFlight } = localQueueCounts(Attributes);
    return waiting + inFlight;
  }

  /** Waits until no more than `limit` webhooks wait to be applied. */
  below(limit: number): Promise<void> {
    return this.pollUntil((depth) => depth <= limit);
  }

  /** Waits until the queue holds no message, visible or in flight (every webhook applied). */
  empty(): Promise<void> {
    return this.pollUntil((depth) => depth === 0);
  }

  close(): void {
    this.sqs.destroy();
  }

  private async pollUntil(done: (depth: number) => boolean): Promise<void> {
    while (!done(await this.depth())) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Waits until the stack's events queue holds no message, visible or in flight (every webhook applied). */
export async function eventsApplied(stack: StackProcess): Promise<void> {
  const queue = new EventsQueue(stack);
  try {
    await queue.empty();
  } finally {
    queue.close();
  }
}
