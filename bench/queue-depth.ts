import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { StackProcess } from './stack-process';

/** Waits until the stack's events queue holds no message, visible or in flight (every webhook applied). */
export async function eventsApplied(stack: StackProcess): Promise<void> {
  const endpoint = stack.announced('sqs endpoint');
  const sqs = new SQSClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    for (;;) {
      const { Attributes } = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: `${endpoint}/000000000000/aftercare-events`,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      );
      if (Number(Attributes?.ApproximateNumberOfMessages ?? 0) + Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0) === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } finally {
    sqs.destroy();
  }
}
