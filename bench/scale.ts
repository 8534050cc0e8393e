import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { BenchApi } from './api-client';
import { processTreeMemory, type ProcessMemory } from './processes';
import { EventsQueue } from './queue-depth';
import { printTable } from './report';
import { startStackProcess } from './stack-process';
import { closedLoop, ms, summarize, type LatencySummary } from './stats';

const MARKETPLACE = 'scale';
const SECRET = 'bench-scale-webhook-secret-01';
const WEEK = 7 * 24 * 3600;
const SAMPLES = 200;
/**
 * Webhooks accepted but not yet applied that the bench lets wait before it sends more. Kept
 * well under what the stack applies in the inbox sweeper's five minutes, so the bench measures
 * the tickets it opens rather than a backlog the sweeper queues again.
 */
const MAX_BACKLOG = 1_000;
/** How often (in webhooks sent) the bench checks the backlog and logs progress. */
const CHECK_EVERY = 100;
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

export interface ScaleStep {
  readonly openTickets: number;
  /** Complaints opened per second on the way to this size. */
  readonly openedPerSecond: number;
  readonly processes: ProcessMemory[];
  readonly totalRssMiB: number;
  readonly ticketRead: LatencySummary;
  readonly action: LatencySummary;
  readonly queueQuery: LatencySummary & { how: string };
}

export interface ScaleResult {
  readonly dynamodbHeap: string;
  /** Where the tables live: DynamoDB Local in memory (`--in-memory`, as the tests run) or on disk (`npm start`'s default). */
  readonly storage: 'memory' | 'disk';
  readonly steps: ScaleStep[];
}

/**
 * Opens complaints (long deadlines, so no timer fires) up to each size in `sizes`, and at
 * each size measures the RSS of every process of the stack and the latency of a ticket read,
 * an agent action and a queue query, one request at a time.
 */
export async function benchScale(
  options: { sizes: readonly number[]; dynamodbHeap: string; dataDir?: string; onStep?: (soFar: ScaleResult) => void },
  log: (line: string) => void,
): Promise<ScaleResult> {
  const stack = await startStackProcess({
    config: {
      marketplaces: {
        [MARKETPLACE]: { webhookSecrets: [SECRET], sla: { default: { firstResponseSeconds: WEEK, initialHandlingSeconds: 2 * WEEK, resolutionSeconds: 3 * WEEK } } },
      },
    },
    env: { JAVA_TOOL_OPTIONS: `-Xmx${options.dynamodbHeap}` },
    dataDir: options.dataDir,
  });
  const storage = options.dataDir ? 'disk' : 'memory';
  const events = new EventsQueue(stack);
  const api = new BenchApi(stack.url, MARKETPLACE, SECRET);
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: stack.announced('dynamodb endpoint'), region: 'us-east-1', credentials }));
  const tag = `${process.pid}-${Date.now()}`;
  const ticketIds: string[] = [];
  const acted = new Set<string>();
  const steps: ScaleStep[] = [];
  try {
    for (const size of options.sizes) {
      const from = ticketIds.length;
      log(`scale: opening complaints ${from + 1}–${size}`);
      const started = performance.now();
      const gate = backlogGate(events, from, log);
      await closedLoop(size - from, 16, async (i) => {
        const n = from + i;
        await gate(n);
        const answer = await api.webhook(
          {
            id: `scale-${tag}-${n}`,
            type: 'complaint.created',
            occurredAt: new Date().toISOString(),
            data: { reference: `scale-${tag}-${n}`, orderId: `o-${n}`, customerRef: `c-${n}`, channel: 'app', subject: 'Late parcel', description: 'Where is it?' },
          },
          Math.floor(Date.now() / 1000),
        );
        if (answer.status !== 202) throw new Error(`webhook answered ${answer.status}`);
        ticketIds[n] = answer.body.ticketId as string;
      });
      await drained(events, api, ticketIds[size - 1]!);
      const openedPerSecond = (size - from) / ((performance.now() - started) / 1000);
      log(`scale: ${size} open, measuring`);

      const processes = processTreeMemory(stack.pid);
      const pick = () => ticketIds[Math.floor(Math.random() * ticketIds.length)]!;
      const reads = await closedLoop(SAMPLES, 1, async () => {
        const answer = await api.get(`/tickets/${pick()}`, 'agent');
        if (answer.status !== 200) throw new Error(`ticket read answered ${answer.status}`);
      });
      const actions = await closedLoop(SAMPLES, 1, async () => {
        let ticketId = pick();
        while (acted.has(ticketId)) ticketId = pick();
        acted.add(ticketId);
        const answer = await api.post(`/tickets/${ticketId}/actions`, { type: 'respond', message: 'On it.' }, 'agent');
        if (answer.status !== 200) throw new Error(`respond answered ${answer.status}: ${JSON.stringify(answer.body)}`);
      });
      const queue = await queueQuery(api, documents);
      steps.push({
        openTickets: size,
        openedPerSecond,
        processes,
        totalRssMiB: processes.reduce((sum, process) => sum + process.rssMiB, 0),
        ticketRead: summarize(reads.latencies),
        action: summarize(actions.latencies),
        queueQuery: { ...summarize(queue.latencies), how: queue.how },
      });
      options.onStep?.({ dynamodbHeap: options.dynamodbHeap, storage, steps });
    }
    return { dynamodbHeap: options.dynamodbHeap, storage, steps };
  } finally {
    documents.destroy();
    events.close();
    await stack.stop();
  }
}

/**
 * An agent's queue: `GET /tickets` (the open tickets of a marketplace, soonest due first)
 * where the API has it; otherwise the same Query on the `open-by-due` index, made directly.
 */
async function queueQuery(api: BenchApi, documents: DynamoDBDocumentClient) {
  const probe = await api.get(`/tickets?marketplace=${MARKETPLACE}&limit=50`, 'agent');
  if (probe.status === 200) {
    const run = await closedLoop(SAMPLES, 1, async () => {
      const answer = await api.get(`/tickets?marketplace=${MARKETPLACE}&limit=50`, 'agent');
      if (answer.status !== 200) throw new Error(`queue query answered ${answer.status}`);
    });
    return { latencies: run.latencies, how: 'GET /tickets?marketplace=…&limit=50' };
  }
  const run = await closedLoop(SAMPLES, 1, () =>
    documents.send(
      new QueryCommand({
        TableName: 'aftercare-tickets',
        IndexName: 'open-by-due',
        KeyConditionExpression: 'openMarketplace = :m',
        ExpressionAttributeValues: { ':m': MARKETPLACE },
        Limit: 50,
      }),
    ),
  );
  return { latencies: run.latencies, how: `open-by-due index Query, 50 items (GET /tickets answered ${probe.status})` };
}

/**
 * Called before each webhook the bench sends: every {@link CHECK_EVERY}, waits while more than
 * {@link MAX_BACKLOG} wait to be applied, and every thousand logs how fast they were applied since
 * the last thousand (a rate falling with the number open shows up here).
 */
function backlogGate(events: EventsQueue, from: number, log: (line: string) => void): (n: number) => Promise<void> {
  // Sent and applied so far, counted when a progress line is logged (lines come in time order, not in order of n).
  let sent = 0;
  let last = { atMs: performance.now(), applied: 0 };
  return async (n) => {
    sent += 1;
    if (n === from || n % CHECK_EVERY !== 0) return;
    await events.below(MAX_BACKLOG);
    if (n % 1_000 !== 0) return;
    const backlog = await events.depth();
    const now = { atMs: performance.now(), applied: sent - backlog };
    const perSecond = (now.applied - last.applied) / ((now.atMs - last.atMs) / 1000);
    log(`scale: ${from + sent} sent, ${backlog} waiting to be applied, ${perSecond.toFixed(1)} applied a second since the last line`);
    last = now;
  };
}

/** Waits until every webhook is applied and the newest ticket's workflow waits for the agent. */
async function drained(events: EventsQueue, api: BenchApi, newestTicketId: string): Promise<void> {
  await events.empty();
  for (;;) {
    const newest = await api.get(`/tickets/${newestTicketId}`, 'agent');
    if (newest.status === 200 && newest.body.ticket?.awaiting) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

export function printScale(result: ScaleResult): void {
  const sizes = result.steps.map((step) => `${step.openTickets.toLocaleString('en')} open`);
  const names = [...new Set(result.steps.flatMap((step) => step.processes.map((process) => process.name)))];
  printTable(`scale (DynamoDB Local heap -Xmx${result.dynamodbHeap}, tables ${result.storage === 'disk' ? 'on disk' : 'in memory'}; latencies one request at a time, ${SAMPLES} each)`, ['', ...sizes], [
    ...names.map((name) => [`RSS ${name}`, ...result.steps.map((step) => `${step.processes.filter((p) => p.name === name).reduce((sum, p) => sum + p.rssMiB, 0).toFixed(0)} MiB`)]),
    ['RSS, whole stack', ...result.steps.map((step) => `${step.totalRssMiB.toFixed(0)} MiB`)],
    ['complaints opened per second', ...result.steps.map((step) => step.openedPerSecond.toFixed(0))],
    ['ticket read p50 / p99', ...result.steps.map((step) => `${ms(step.ticketRead.p50)} / ${ms(step.ticketRead.p99)}`)],
    ['action (respond) p50 / p99', ...result.steps.map((step) => `${ms(step.action.p50)} / ${ms(step.action.p99)}`)],
    ['queue query p50 / p99', ...result.steps.map((step) => `${ms(step.queueQuery.p50)} / ${ms(step.queueQuery.p99)}`)],
  ]);
  console.log(`queue query: ${result.steps[0]?.queueQuery.how ?? ''}`);
  const tenThousand = result.steps.find((step) => step.openTickets === 10_000);
  if (tenThousand) console.log(`10,000 open workflows within 1 GiB RSS: ${tenThousand.totalRssMiB <= 1024 ? 'met' : 'NOT met'} (${tenThousand.totalRssMiB.toFixed(0)} MiB)`);
}
