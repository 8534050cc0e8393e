import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type DynamoDBStreamsClient,
  type _Record as StreamRecord,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { ActivityTracker } from './activity';
import { LOCAL_REGION } from './aws/local-aws-environment';
import { IDLE_POLL_MAX_MS, IDLE_POLL_MIN_MS, IdleRest } from './idle-rest';

export interface StreamPollerOptions {
  readonly streams: DynamoDBStreamsClient;
  readonly streamArn: string;
  readonly batchSize: number;
  /** Attempts after the first for a failed record before it is given up (logged; in AWS, sent to the on-failure queue). */
  readonly retryAttempts: number;
  readonly invoke: (event: DynamoDBStreamEvent) => Promise<unknown>;
  readonly activity: ActivityTracker;
  readonly onError: (error: unknown) => void;
  /** Real milliseconds before a failed record is tried again. */
  readonly retryDelayMs?: number;
}

interface ShardCursor {
  iterator: string | undefined;
  /** The last record handed on (or given up), to take up again after it when an iterator goes stale. */
  lastSequenceNumber: string | undefined;
  /** The shard is closed and read to its end. */
  done: boolean;
  /** Sequence number of the record that failed, and how often. */
  failures: { sequenceNumber: string; count: number } | undefined;
}

/**
 * The local DynamoDB stream event source mapping: reads DynamoDB Local's stream with the
 * real DynamoDB Streams client, shard by shard (a child shard after its parent), from the
 * trim horizon, and calls the consumer with the event shape Lambda sends. Like the mapping
 * with `ReportBatchItemFailures`, it goes on after the records that succeeded and retries
 * from the first failed one; after `retryAttempts` retries the record is given up (its
 * ticket's later events make the aggregator read it again from the trail).
 *
 * Positions are kept in memory: after a restart the stream is read again from its trim
 * horizon, and the consumer finds the events already applied.
 */
export class StreamPoller {
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly cursors = new Map<string, ShardCursor>();
  private shards: Shard[] = [];
  private shardsReadAt = 0;
  private readonly idle = new IdleRest(IDLE_POLL_MIN_MS, IDLE_POLL_MAX_MS);

  constructor(private readonly options: StreamPollerOptions) {}

  start(): void {
    this.running = true;
    this.options.activity.addProbe(() => this.hasUnreadRecords());
    this.loop = this.pollUntilStopped();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.idle.wake();
    await this.loop;
  }

  private async pollUntilStopped(): Promise<void> {
    while (this.running) {
      try {
        const delivered = await this.options.activity.run(() => this.pollOnce());
        if (delivered) this.idle.found();
        else await this.idle.afterEmptyPoll();
      } catch (error) {
        if (!this.running) return;
        this.options.onError(error);
        await this.idle.restFor(500);
      }
    }
  }

  /** One round over the readable shards; true when any records were delivered. */
  private async pollOnce(): Promise<boolean> {
    await this.refreshShards();
    let delivered = false;
    for (const shard of this.readableShards()) {
      const cursor = this.cursors.get(shard.ShardId!)!;
      const page = await this.read(shard.ShardId!, cursor, this.options.batchSize);
      if (!page) continue;
      const records = page.Records ?? [];
      if (!records.length) {
        cursor.iterator = page.NextShardIterator;
        if (!page.NextShardIterator) cursor.done = true;
        continue;
      }
      delivered = true;
      const failed = await this.deliver(records);
      if (failed === undefined) {
        cursor.failures = undefined;
        cursor.lastSequenceNumber = records.at(-1)!.dynamodb!.SequenceNumber;
        cursor.iterator = page.NextShardIterator;
        if (!page.NextShardIterator) cursor.done = true;
      } else {
        await this.afterFailure(shard.ShardId!, cursor, failed, records);
      }
    }
    return delivered;
  }

  /** Calls the consumer; the sequence number of the first record to retry, or undefined when all succeeded. */
  private async deliver(records: StreamRecord[]): Promise<string | undefined> {
    try {
      const response = (await this.options.invoke({ Records: records.map((record) => this.toLambdaRecord(record)) })) as DynamoDBBatchResponse | null;
      const failures = (response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier).sort();
      return failures[0];
    } catch (error) {
      this.options.onError(error);
      return records[0]!.dynamodb!.SequenceNumber!;
    }
  }

  private async afterFailure(shardId: string, cursor: ShardCursor, sequenceNumber: string, records: StreamRecord[]): Promise<void> {
    const count = cursor.failures?.sequenceNumber === sequenceNumber ? cursor.failures.count + 1 : 1;
    if (count > this.options.retryAttempts) {
      this.options.onError(new Error(`stream record ${sequenceNumber} given up after ${count} attempts`));
      const next = records.find((record) => record.dynamodb!.SequenceNumber! > sequenceNumber);
      cursor.failures = undefined;
      cursor.lastSequenceNumber = sequenceNumber;
      cursor.iterator = next ? await this.iterator(shardId, 'AT_SEQUENCE_NUMBER', next.dynamodb!.SequenceNumber!) : await this.iterator(shardId, 'AFTER_SEQUENCE_NUMBER', sequenceNumber);
      return;
    }
    cursor.failures = { sequenceNumber, count };
    const before = records.filter((record) => record.dynamodb!.SequenceNumber! < sequenceNumber).at(-1);
    if (before) cursor.lastSequenceNumber = before.dynamodb!.SequenceNumber;
    cursor.iterator = await this.iterator(shardId, 'AT_SEQUENCE_NUMBER', sequenceNumber);
    await new Promise((resolve) => setTimeout(resolve, this.options.retryDelayMs ?? 1_000));
  }

  /** Lists the stream's shards again once a second, or when every shard known was read to its end. */
  private async refreshShards(): Promise<void> {
    const allDone = this.shards.every((shard) => this.cursors.get(shard.ShardId!)?.done);
    if (!allDone && Date.now() - this.shardsReadAt < 1_000) return;
    this.shardsReadAt = Date.now();
    const shards: Shard[] = [];
    let exclusiveStart: string | undefined;
    do {
      const { StreamDescription } = await this.options.streams.send(
        new DescribeStreamCommand({ StreamArn: this.options.streamArn, ExclusiveStartShardId: exclusiveStart }),
      );
      shards.push(...(StreamDescription?.Shards ?? []));
      exclusiveStart = StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStart);
    this.shards = shards;
    for (const shard of shards) {
      if (!this.cursors.has(shard.ShardId!)) this.cursors.set(shard.ShardId!, { iterator: undefined, lastSequenceNumber: undefined, done: false, failures: undefined });
    }
  }

  /** Open shards whose parent (if this poller knows it) was read to its end: a ticket's events stay in order. */
  private readableShards(): Shard[] {
    return this.shards.filter((shard) => {
      if (this.cursors.get(shard.ShardId!)!.done) return false;
      const parent = shard.ParentShardId ? this.cursors.get(shard.ParentShardId) : undefined;
      return !parent || parent.done;
    });
  }

  /**
   * A page of the shard from the cursor's position, or undefined when the shard has nothing
   * new. DynamoDB Local refuses an iterator taken on a still empty shard once records arrive
   * (TrimmedDataAccessException), and iterators expire after 15 minutes: either way a new one
   * is taken right after the last record handed on.
   */
  private async read(shardId: string, cursor: ShardCursor, limit: number) {
    for (let attempt = 0; ; attempt += 1) {
      cursor.iterator ??= await this.positionIterator(shardId, cursor);
      if (!cursor.iterator) return undefined;
      try {
        return await this.options.streams.send(new GetRecordsCommand({ ShardIterator: cursor.iterator, Limit: limit }));
      } catch (error) {
        const stale = error instanceof Error && (error.name === 'TrimmedDataAccessException' || error.name === 'ExpiredIteratorException');
        if (!stale || attempt > 0) throw error;
        cursor.iterator = undefined;
      }
    }
  }

  private positionIterator(shardId: string, cursor: ShardCursor): Promise<string | undefined> {
    return cursor.lastSequenceNumber ? this.iterator(shardId, 'AFTER_SEQUENCE_NUMBER', cursor.lastSequenceNumber) : this.iterator(shardId, 'TRIM_HORIZON');
  }

  private async iterator(shardId: string, type: 'TRIM_HORIZON' | 'AT_SEQUENCE_NUMBER' | 'AFTER_SEQUENCE_NUMBER', sequenceNumber?: string): Promise<string | undefined> {
    const { ShardIterator } = await this.options.streams.send(
      new GetShardIteratorCommand({ StreamArn: this.options.streamArn, ShardId: shardId, ShardIteratorType: type, SequenceNumber: sequenceNumber }),
    );
    return ShardIterator;
  }

  /**
   * Whether a record waits unread: DynamoDB Streams iterators can be read again, so the
   * probe peeks with each shard's current one without moving it. One waiting wakes the poller.
   */
  private async hasUnreadRecords(): Promise<boolean> {
    if (!this.running) return false;
    await this.refreshShards();
    for (const shard of this.readableShards()) {
      const page = await this.read(shard.ShardId!, this.cursors.get(shard.ShardId!)!, 1);
      if (page?.Records?.length) {
        this.idle.wake();
        return true;
      }
    }
    return false;
  }

  private toLambdaRecord(record: StreamRecord): DynamoDBRecord {
    const data = record.dynamodb!;
    const created = data.ApproximateCreationDateTime;
    return {
      eventID: record.eventID,
      eventName: record.eventName,
      eventVersion: record.eventVersion,
      eventSource: 'aws:dynamodb',
      awsRegion: LOCAL_REGION,
      eventSourceARN: this.options.streamArn,
      dynamodb: {
        // Lambda sends epoch seconds here.
        ApproximateCreationDateTime: created ? Math.floor(created.getTime() / 1000) : undefined,
        Keys: data.Keys as NonNullable<DynamoDBRecord['dynamodb']>['Keys'],
        NewImage: data.NewImage && (restoreEmptyMaps(data.NewImage) as NonNullable<DynamoDBRecord['dynamodb']>['NewImage']),
        SequenceNumber: data.SequenceNumber,
        SizeBytes: data.SizeBytes,
        StreamViewType: data.StreamViewType,
      },
    };
  }
}

/**
 * The streams client reads an empty map attribute (`{"M": {}}`) as `{}`, an attribute value
 * with no type, which nothing can unmarshall; Lambda's event carries `{"M": {}}`. An
 * attribute value always has exactly one type, so an empty one can only be that map.
 */
function restoreEmptyMaps(image: Record<string, unknown>): Record<string, unknown> {
  const restore = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object') return value;
    const attribute = value as Record<string, unknown>;
    const keys = Object.keys(attribute).filter((key) => attribute[key] !== undefined);
    if (keys.length === 0) return { M: {} };
    if (Array.isArray(attribute.L)) return { L: attribute.L.map(restore) };
    if (attribute.M && typeof attribute.M === 'object') return { M: restoreEmptyMaps(attribute.M as Record<string, unknown>) };
    return value;
  };
  return Object.fromEntries(Object.entries(image).map(([name, value]) => [name, restore(value)]));
}
