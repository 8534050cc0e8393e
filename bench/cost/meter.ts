import { AsyncLocalStorage } from 'node:async_hooks';
import { GetItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { Client } from '@smithy/core/client';
import { functions, schedules, type FunctionId } from '@infra/resources';
import { LocalLambdaRuntime } from '../../infra/local/lambda-runtime';
import { itemSizeBytes, transactionalWriteUnits } from './item-size';
import { emptyUsage, type Usage } from './usage';

/**
 * Meters what AWS would bill while the local stack runs in this process, without changing a
 * line of product code:
 *
 * - Lambda: each invocation through the local runtime, timed. Its duration is the real time
 *   it ran plus the stack-clock time it spent waiting on the clock (a deadline step waits out
 *   the last fraction of a second on the clock; in AWS that wait is billed time).
 * - DynamoDB: a middleware on every SDK client asks for `ReturnConsumedCapacity: INDEXES` and
 *   adds up the capacity units DynamoDB Local reports (transactions count double there, as
 *   in AWS). A write refused by its condition reports nothing; it is counted as one unit
 *   per item, the least AWS bills for it. For a transaction that writes several items of one
 *   table DynamoDB Local reports far less than one item's units each (ten counter updates
 *   come back as 2 units), while AWS bills every item by its own size: there the meter sizes
 *   each item itself (item-size.ts), from the request for a put and from the item as stored
 *   just after for an update or delete, and counts those units instead of the table's.
 * - SQS: every request, 64 KB chunks of message bodies counted as AWS does; receives that
 *   found nothing are kept apart (an idle queue's polling is a fixed monthly cost, not a
 *   cost per ticket).
 * - S3: every PutObject.
 * - CloudWatch Logs: the bytes the handlers write to stdout and stderr (their Powertools
 *   JSON lines), which are swallowed while metering, plus the platform lines Lambda adds.
 *
 * Work done by scheduled functions (`schedules` in infra/resources.ts) is metered apart: it runs on
 * a timetable, whatever the number of tickets.
 */
export class AwsMeter {
  /** Usage caused by requests, events and workflows. */
  readonly usage: Usage = emptyUsage();
  /** Usage of scheduled functions, kept apart. */
  readonly scheduled: Usage = emptyUsage();
  emptyReceives = 0;
  private readonly scope = new AsyncLocalStorage<FunctionId>();
  private readonly restorers: (() => void)[] = [];
  private clockMs: () => number = () => 0;
  private swallowed = '';
  private readonly metered = new WeakSet<object>();
  private sizer?: DynamoDBClient;
  private readonly sizing = new Set<Promise<void>>();

  /** Starts metering; `clockMs` reads the stack's clock (set once the stack runs). */
  install(): void {
    this.meterSdkClients();
    this.meterLambdaInvocations();
    this.meterHandlerOutput();
  }

  useClock(clockMs: () => number): void {
    this.clockMs = clockMs;
  }

  /** Leaves a client of the bench itself (its checks, not the product's work) out of the count. */
  exempt(client: { middlewareStack: object }): void {
    this.metered.add(client.middlewareStack);
  }

  /** Client (exempt from the count) that reads back the items of a transaction to size them. */
  sizeTransactionsWith(client: DynamoDBClient): void {
    this.exempt(client);
    this.sizer = client;
  }

  /** Waits for the sizing of transactions already made, so the usage read next includes them. */
  async settled(): Promise<void> {
    while (this.sizing.size) await Promise.all([...this.sizing]);
  }

  uninstall(): void {
    for (const restore of this.restorers.splice(0).reverse()) restore();
  }

  /** Handler output swallowed while metering, for a look when a scenario fails. */
  get handlerOutput(): string {
    return this.swallowed;
  }

  private target(): Usage {
    const id = this.scope.getStore();
    return id && SCHEDULED.has(id) ? this.scheduled : this.usage;
  }

  private meterLambdaInvocations(): void {
    const original = LocalLambdaRuntime.prototype.invoke;
    const meter = this;
    LocalLambdaRuntime.prototype.invoke = async function invoke(this: LocalLambdaRuntime, target: string, event: unknown) {
      const id = functionIdOf(target);
      const startedMs = performance.now();
      const startedClockMs = meter.clockMs();
      try {
        return await meter.scope.run(id, () => original.call(this, target, event));
      } finally {
        const durationMs = performance.now() - startedMs + Math.max(0, meter.clockMs() - startedClockMs);
        const usage = SCHEDULED.has(id) ? meter.scheduled : meter.usage;
        const fn = (usage.lambda[id] ??= { invocations: 0, billedMs: 0, measuredMs: 0 });
        fn.invocations += 1;
        fn.billedMs += Math.ceil(durationMs);
        fn.measuredMs += durationMs;
        usage.logBytes.lambdaPlatform += platformLogBytes(id, durationMs);
      }
    };
    this.restorers.push(() => (LocalLambdaRuntime.prototype.invoke = original));
  }

  private meterSdkClients(): void {
    const originalSend = Client.prototype.send;
    const metered = this.metered;
    const meter = this;
    Client.prototype.send = function send(this: Client<any, any, any, any>, ...args: unknown[]) {
      if (!metered.has(this.middlewareStack)) {
        metered.add(this.middlewareStack);
        this.middlewareStack.add((next, context) => (request) => meter.meterCall(next, context as MeteredContext, request), {
          step: 'initialize',
          name: 'aftercareBenchMeter',
        });
      }
      return (originalSend as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof Client.prototype.send;
    this.restorers.push(() => (Client.prototype.send = originalSend));
  }

  private async meterCall(next: (request: any) => Promise<any>, context: MeteredContext, request: { input: Record<string, any> }) {
    const service = context.clientName;
    const operation = String(context.commandName ?? '').replace(/Command$/, '');
    if (service === 'DynamoDBClient' && CAPACITY_OPERATIONS.has(operation)) request.input.ReturnConsumedCapacity ??= 'INDEXES';
    try {
      const result = await next(request);
      this.record(service, operation, request.input, result.output);
      return result;
    } catch (error) {
      if (service === 'DynamoDBClient') this.recordRefusedWrite(request.input, error);
      throw error;
    }
  }

  private record(service: string | undefined, operation: string, input: Record<string, any>, output: Record<string, any>): void {
    const usage = this.target();
    if (service === 'DynamoDBClient') {
      const consumed = [output?.ConsumedCapacity ?? []].flat() as {
        TableName?: string;
        CapacityUnits?: number;
        GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>;
      }[];
      const field = WRITE_OPERATIONS.has(operation) ? 'writeUnits' : 'readUnits';
      for (const entry of consumed) {
        usage.dynamodb[field] += entry.CapacityUnits ?? 0;
        const table = (usage.dynamodb.byTable[entry.TableName ?? '?'] ??= { readUnits: 0, writeUnits: 0 });
        table[field] += entry.CapacityUnits ?? 0;
        for (const [index, units] of Object.entries(entry.GlobalSecondaryIndexes ?? {})) {
          const byIndex = (usage.dynamodb.byTable[`${entry.TableName ?? '?'} index ${index}`] ??= { readUnits: 0, writeUnits: 0 });
          byIndex[field] += units.CapacityUnits ?? 0;
        }
      }
      usage.dynamodb.requests += 1;
      if (operation === 'TransactWriteItems') this.sizeSharedTables(usage, input, consumed);
    } else if (service === 'SQSClient') {
      if (operation === 'ReceiveMessage' && !(output?.Messages?.length > 0)) {
        this.emptyReceives += 1;
        return;
      }
      if (LOCAL_RUNTIME_SQS_OPERATIONS.has(operation)) return;
      const billed = sqsBilledRequests(operation, input);
      usage.sqsRequests += billed;
      usage.sqsByOperation[operation] = (usage.sqsByOperation[operation] ?? 0) + billed;
    } else if (service === 'S3Client' && operation === 'PutObject') {
      usage.s3Puts += 1;
    }
  }

  /** Recounts, item by item, the table part of each table a transaction wrote more than one item of. */
  private sizeSharedTables(usage: Usage, input: Record<string, any>, consumed: readonly { TableName?: string; CapacityUnits?: number; Table?: { CapacityUnits?: number } }[]): void {
    const writes = ((input.TransactItems ?? []) as Record<string, any>[]).flatMap((entry) => {
      const write = entry.Put ?? entry.Update ?? entry.Delete;
      return write ? [{ table: String(write.TableName), item: entry.Put?.Item as Record<string, unknown> | undefined, key: write.Key as Record<string, unknown> | undefined }] : [];
    });
    for (const entry of consumed) {
      const table = entry.TableName ?? '?';
      const items = writes.filter((write) => write.table === table);
      if (items.length < 2) continue;
      if (!this.sizer) throw new Error('the bench meter was not given a client to size transactions with (sizeTransactionsWith)');
      const reported = entry.Table?.CapacityUnits ?? entry.CapacityUnits ?? 0;
      const sizer = this.sizer;
      const sizing = Promise.all(items.map((write) => storedSize(sizer, table, write.item, write.key))).then((sizes) => {
        const units = sizes.reduce((sum, size) => sum + transactionalWriteUnits(size), 0);
        usage.dynamodb.writeUnits += units - reported;
        usage.dynamodb.byTable[table]!.writeUnits += units - reported;
      });
      const tracked = sizing.finally(() => this.sizing.delete(tracked));
      this.sizing.add(tracked);
    }
  }

  private recordRefusedWrite(input: Record<string, any>, error: unknown): void {
    const name = (error as { name?: string })?.name;
    const usage = this.target();
    if (name === 'ConditionalCheckFailedException') usage.dynamodb.writeUnits += 1;
    else if (name === 'TransactionCanceledException') usage.dynamodb.writeUnits += 2 * (input.TransactItems?.length ?? 1);
    else return;
    usage.dynamodb.requests += 1;
    usage.dynamodb.refusedWrites += 1;
  }

  private meterHandlerOutput(): void {
    for (const stream of [process.stdout, process.stderr]) {
      const originalWrite = stream.write;
      const meter = this;
      stream.write = function write(this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]) {
        const id = meter.scope.getStore();
        if (id === undefined) return (originalWrite as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
        const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
        (SCHEDULED.has(id) ? meter.scheduled : meter.usage).logBytes.lambdaHandlers += Buffer.byteLength(text);
        if (meter.swallowed.length < 200_000) meter.swallowed += text;
        const callback = rest.find((argument) => typeof argument === 'function') as (() => void) | undefined;
        callback?.();
        return true;
      } as typeof stream.write;
      this.restorers.push(() => (stream.write = originalWrite));
    }
  }
}

/**
 * Size of an item a transaction wrote: a put's from the request; an update's as stored just
 * after (an item deleted since counts as the least, 0 bytes).
 */
async function storedSize(client: DynamoDBClient, table: string, item: Record<string, unknown> | undefined, key: Record<string, unknown> | undefined): Promise<number> {
  if (item) return itemSizeBytes(asAttributeValues(item));
  const { Item } = await client.send(new GetItemCommand({ TableName: table, Key: asAttributeValues(key!), ConsistentRead: true }));
  return Item ? itemSizeBytes(Item) : 0;
}

/** The product's document clients hand the meter plain values, its low-level clients attribute values. */
function asAttributeValues(values: Record<string, unknown>): Record<string, AttributeValue> {
  const marshalled = Object.values(values).every((value) => typeof value === 'object' && value !== null && Object.keys(value).length === 1);
  return marshalled ? (values as Record<string, AttributeValue>) : marshall(values, { removeUndefinedValues: true, convertClassInstanceToMap: true });
}

interface MeteredContext {
  readonly clientName?: string;
  readonly commandName?: string;
}

const SCHEDULED = new Set<FunctionId>(schedules.map((schedule) => schedule.function));

const CAPACITY_OPERATIONS = new Set([
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'Scan',
  'BatchGetItem',
  'BatchWriteItem',
  'TransactGetItems',
  'TransactWriteItems',
]);
const WRITE_OPERATIONS = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

const SQS_CHUNK_BYTES = 64 * 1024;
/**
 * Asked by the local runtime only, to know whether queued work is left before a manual clock
 * advance answers; Lambda's event source mapping does not ask it per message.
 */
const LOCAL_RUNTIME_SQS_OPERATIONS = new Set(['GetQueueAttributes']);

/** SQS bills every 64 KB of a request's payload as one request. */
function sqsBilledRequests(operation: string, input: Record<string, any>): number {
  const bodies: string[] =
    operation === 'SendMessage' ? [input.MessageBody ?? ''] : operation === 'SendMessageBatch' ? (input.Entries ?? []).map((entry: { MessageBody?: string }) => entry.MessageBody ?? '') : [];
  const bytes = bodies.reduce((sum, body) => sum + Buffer.byteLength(body), 0);
  return Math.max(1, Math.ceil(bytes / SQS_CHUNK_BYTES));
}

/** The local runtime addresses functions by id, local name (`aftercare-<id>`) or ARN. */
export function functionIdOf(target: string): FunctionId {
  const name = target.startsWith('arn:') ? target.split(':')[6]! : target;
  const id = name.replace(/^aftercare-/, '');
  if (!(id in functions)) throw new Error(`the bench meter does not know function ${target}`);
  return id as FunctionId;
}

const REQUEST_ID = '00000000-0000-0000-0000-000000000000';

/** The START, END and REPORT lines Lambda writes for an invocation (X-Ray tracing is on: REPORT carries the trace). */
export function platformLogBytes(id: FunctionId, durationMs: number): number {
  const memory = functions[id].memoryMb;
  const lines = [
    `START RequestId: ${REQUEST_ID} Version: $LATEST\n`,
    `END RequestId: ${REQUEST_ID}\n`,
    `REPORT RequestId: ${REQUEST_ID}\tDuration: ${durationMs.toFixed(2)} ms\tBilled Duration: ${Math.ceil(durationMs)} ms\t` +
      `Memory Size: ${memory} MB\tMax Memory Used: ${Math.min(memory, 120)} MB\t\n` +
      `XRAY TraceId: 1-00000000-000000000000000000000000\tSegmentId: 0000000000000000\tSampled: true\t\n`,
  ];
  return lines.reduce((sum, line) => sum + Buffer.byteLength(line), 0);
}
