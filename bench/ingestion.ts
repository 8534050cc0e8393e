import { cpus } from 'node:os';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { signPayload } from '@shared/webhooks/signature';
import { cpuBetween, cpuNow } from './processes';
import { eventsApplied } from './queue-depth';
import { printProfile, profileDirectory, profileOf, type ProfileSummary } from './profile-summary';
import { printTable } from './report';
import { startStackProcess } from './stack-process';
import { closedLoop, ms, openLoop, percentile, type LatencySummary, summarize } from './stats';

const CONCURRENCY = 16;
const DEMO_SECRET = 'demo-webhook-secret-for-local-use';
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

export interface IngestionResult {
  readonly webhooks: number;
  readonly concurrency: number;
  readonly accepted: LatencySummary & { perSecond: number };
  readonly rawTransactions: LatencySummary & { perSecond: number };
  readonly ratioPercent: number;
  readonly conditionalPutP50Ms: number;
  readonly sqsSendP50Ms: number;
  readonly halfLoad: LatencySummary & { perSecond: number };
  /**
   * CPU seconds per 1,000 operations, by process (the stack's node process, DynamoDB Local,
   * and this load generator): for raw transactions, for webhooks while they were being
   * accepted, and until every one was applied to its ticket with its workflow started.
   */
  readonly cpuSecondsPerThousand: Record<'rawTransactions' | 'webhooksWhileAccepting' | 'webhooksUntilApplied', Record<string, number>>;
  readonly cores: number;
  /** Where the stack's CPU went during the run (`BENCH_PROFILE=1`: node --cpu-prof). */
  readonly profile?: ProfileSummary;
}

function perThousand(used: Record<string, number>, operations: number): Record<string, number> {
  return Object.fromEntries(Object.entries(used).map(([name, seconds]) => [name, (seconds / operations) * 1000]));
}

/** A signed `return.requested` webhook for the demo marketplace, numbered `n`. */
export async function sendReturnWebhook(url: string, n: number, tag: string): Promise<void> {
  const body = JSON.stringify({
    id: `bench-${tag}-${n}`,
    type: 'return.requested',
    occurredAt: new Date().toISOString(),
    data: {
      reference: `bench-${tag}-${n}`,
      orderId: `o-${n}`,
      customerRef: `c-${n % 500}`,
      requestType: 'refund_only',
      reason: 'not as described',
      deliveredAt: new Date().toISOString(),
      productCategory: 'electronics',
      amount: 99,
      currency: 'CNY',
    },
  });
  const ts = String(Math.floor(Date.now() / 1000));
  const answer = await fetch(`${url}/webhooks/demo`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', 'x-aftercare-timestamp': ts, 'x-aftercare-signature': signPayload(DEMO_SECRET, ts, body) },
  });
  await answer.arrayBuffer();
  if (answer.status !== 202) throw new Error(`webhook answered ${answer.status}`);
}

/**
 * Signed-webhook ingestion against the local stack (its own process), next to the raw
 * two-item TransactWriteItems rate of the same DynamoDB Local, measured in the same run;
 * then latency at half the maximum rate.
 */
export async function benchIngestion(count: number, log: (line: string) => void): Promise<IngestionResult> {
  const profile = profileDirectory();
  const stack = await startStackProcess({ config: { marketplaces: {} }, env: profile.env });
  const tag = `${process.pid}-${Date.now()}`;
  let sequence = 0;
  const sendOne = () => sendReturnWebhook(stack.url, sequence++, tag);
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: stack.announced('dynamodb endpoint'), region: 'us-east-1', credentials }));
  const sqs = new SQSClient({ endpoint: stack.announced('sqs endpoint'), region: 'us-east-1', credentials });
  const deadLetterUrl = `${stack.announced('sqs endpoint')}/000000000000/aftercare-events-dlq`;
  const rawTransaction = (i: number) =>
    documents.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: 'aftercare-tickets', Item: { pk: `TICKET#raw-${tag}-${i}`, version: 1 }, ConditionExpression: 'attribute_not_exists(pk)' } },
          { Put: { TableName: 'aftercare-audit', Item: { pk: `TICKET#raw-${tag}-${i}`, sk: 'SEQ#0000000001' }, ConditionExpression: 'attribute_not_exists(pk)' } },
        ],
      }),
    );
  try {
    log(`ingestion: warming up`);
    // Warm-up (JIT, connections, DynamoDB Local's caches), then the raw rate while the stack is idle.
    await closedLoop(200, CONCURRENCY, rawTransaction);
    await closedLoop(200, CONCURRENCY, sendOne);
    await new Promise((resolve) => setTimeout(resolve, 5_000)); // let the consumer drain the warm-up
    await eventsApplied(stack);
    log(`ingestion: raw transactions, then ${count} webhooks`);
    const cpuBeforeRaw = cpuNow(stack.pid);
    const raw = await closedLoop(count, CONCURRENCY, (i) => rawTransaction(i + 1_000_000));
    const cpuAfterRaw = cpuNow(stack.pid);
    const put = await closedLoop(300, 1, (i) =>
      documents.send(new PutCommand({ TableName: 'aftercare-inbox', Item: { pk: `RAW#${tag}-${i}`, receivedAt: 'x' }, ConditionExpression: 'attribute_not_exists(pk)' })),
    );
    const send = await closedLoop(300, 1, () => sqs.send(new SendMessageCommand({ QueueUrl: deadLetterUrl, MessageBody: '{}' })));
    await eventsApplied(stack);
    const cpuBeforeIngestion = cpuNow(stack.pid);
    const ingestion = await closedLoop(count, CONCURRENCY, sendOne);
    const cpuAfterIngestion = cpuNow(stack.pid);
    await eventsApplied(stack);
    const cpuAfterApplied = cpuNow(stack.pid);
    const halfRate = ingestion.perSecond / 2;
    log(`ingestion: half load, ${halfRate.toFixed(0)}/s for 10 s`);
    const steady = await openLoop(halfRate, 10, sendOne);
    await stack.stop(); // writes the CPU profile, if one is taken
    return {
      webhooks: count,
      concurrency: CONCURRENCY,
      accepted: { ...summarize(ingestion.latencies), perSecond: ingestion.perSecond },
      rawTransactions: { ...summarize(raw.latencies), perSecond: raw.perSecond },
      ratioPercent: (ingestion.perSecond / raw.perSecond) * 100,
      conditionalPutP50Ms: percentile(put.latencies, 50),
      sqsSendP50Ms: percentile(send.latencies, 50),
      halfLoad: { ...summarize(steady.latencies), perSecond: halfRate },
      cpuSecondsPerThousand: {
        rawTransactions: perThousand(cpuBetween(cpuBeforeRaw, cpuAfterRaw), count),
        webhooksWhileAccepting: perThousand(cpuBetween(cpuBeforeIngestion, cpuAfterIngestion), count),
        webhooksUntilApplied: perThousand(cpuBetween(cpuBeforeIngestion, cpuAfterApplied), count),
      },
      cores: cpus().length,
      profile: profileOf(profile.dir),
    };
  } finally {
    documents.destroy();
    sqs.destroy();
    await stack.stop();
  }
}

export function printIngestion(result: IngestionResult): void {
  printTable(`ingestion (${result.webhooks} signed webhooks, ${result.concurrency} in flight)`, ['', 'per second', 'p50', 'p99', 'max'], [
    ['webhooks accepted (202)', result.accepted.perSecond.toFixed(0), ms(result.accepted.p50), ms(result.accepted.p99), ms(result.accepted.max)],
    ['raw TransactWriteItems (2 items)', result.rawTransactions.perSecond.toFixed(0), ms(result.rawTransactions.p50), ms(result.rawTransactions.p99), ms(result.rawTransactions.max)],
    ['at half the maximum rate, 10 s', result.halfLoad.perSecond.toFixed(0), ms(result.halfLoad.p50), ms(result.halfLoad.p99), ms(result.halfLoad.max)],
  ]);
  console.log(
    `ratio ingestion / raw: ${result.ratioPercent.toFixed(0)} % (target >= 70 %); half-load p99 ${ms(result.halfLoad.p99)} (target <= 50 ms); ` +
      `one at a time: conditional PutItem p50 ${ms(result.conditionalPutP50Ms)}, SQS SendMessage p50 ${ms(result.sqsSendP50Ms)}`,
  );
  const cpu = result.cpuSecondsPerThousand;
  const names = [...new Set(Object.values(cpu).flatMap((used) => Object.keys(used)))].filter((name) => Object.values(cpu).some((used) => (used[name] ?? 0) >= 0.05));
  const total = (used: Record<string, number>) => Object.values(used).reduce((sum, seconds) => sum + seconds, 0);
  printTable(`CPU seconds per 1,000 (${result.cores} cores)`, ['process', 'raw transactions', 'webhooks, while accepted', 'webhooks, until applied'], [
    ...names.map((name) => [name, (cpu.rawTransactions[name] ?? 0).toFixed(1), (cpu.webhooksWhileAccepting[name] ?? 0).toFixed(1), (cpu.webhooksUntilApplied[name] ?? 0).toFixed(1)]),
    ['all', total(cpu.rawTransactions).toFixed(1), total(cpu.webhooksWhileAccepting).toFixed(1), total(cpu.webhooksUntilApplied).toFixed(1)],
  ]);
  console.log(
    `with every core on it, this machine could accept at most ${((result.cores / total(cpu.webhooksUntilApplied)) * 1000).toFixed(0)} webhooks/s applied in step, ` +
      `and run ${((result.cores / total(cpu.rawTransactions)) * 1000).toFixed(0)} raw transactions/s`,
  );
  if (result.profile) printProfile(result.profile);
}
