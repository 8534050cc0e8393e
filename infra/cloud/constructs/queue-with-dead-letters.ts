import { Duration } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { QueueSpec } from '@infra/resources';

/** A queue and the dead-letter queue its messages move to after `maxReceiveCount` receives. */
export interface QueueWithDeadLetters {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
}

/**
 * SQS keeps a message's first enqueue time when it moves it to the dead-letter queue, so a
 * DLQ must keep messages longer than its source: the maximum, 14 days, leaves time to look
 * at a failure and redrive it.
 */
const DEAD_LETTER_RETENTION = Duration.days(14);

/**
 * The queue `${name}Queue` as its spec describes it (visibility timeout, retention, redrive),
 * and its dead-letter queue `${name}DeadLetterQueue`; both encrypted with the stack's data key (the
 * messages carry marketplace events) and refusing requests without TLS.
 *
 * Both are created directly in `scope`, so their logical ids do not change.
 */
export function createQueueWithDeadLetters(scope: Construct, name: string, spec: QueueSpec, dataKey: IKey): QueueWithDeadLetters {
  const encryption = { encryption: QueueEncryption.KMS, encryptionMasterKey: dataKey, enforceSSL: true } as const;
  const deadLetterQueue = new Queue(scope, `${name}DeadLetterQueue`, { ...encryption, retentionPeriod: DEAD_LETTER_RETENTION });
  const queue = new Queue(scope, `${name}Queue`, {
    ...encryption,
    visibilityTimeout: Duration.seconds(spec.visibilityTimeoutSeconds),
    retentionPeriod: Duration.days(spec.retentionDays),
    deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: spec.maxReceiveCount },
  });
  return { queue, deadLetterQueue };
}
