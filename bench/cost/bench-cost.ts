import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { GetExecutionHistoryCommand, ListExecutionsCommand, SFNClient, type HistoryEvent } from '@aws-sdk/client-sfn';
import { CHECKPOINT_EVERY_MINUTES, schedules, type FunctionId } from '@infra/resources';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../infra/local/aws/local-aws-environment';
import { startLocalStack } from '../../infra/local/local-stack';
import { BenchApi } from '../api-client';
import { AWS_PRICES } from './aws-prices';
import { costLines, gbSeconds, perThousand, totalDollars, type CostLine } from './cost-model';
import { apiAccessLogLineBytes, stepFunctionsLogLineBytes } from './log-lines';
import { AwsMeter } from './meter';
import { SCENARIOS, type Scenario } from './scenarios';
import { difference, snapshot, type Usage } from './usage';

const MARKETPLACE = 'bench';
const SECRET = 'bench-cost-webhook-secret-01';
/** What a complaint may cost, all in, per 1,000 tickets. */
export const COMPLAINT_TARGET_DOLLARS_PER_THOUSAND = 0.5;
const MINUTES_PER_MONTH = 30 * 24 * 60;

export interface ScenarioCost {
  readonly scenario: string;
  readonly column: string;
  readonly kind: Scenario['kind'];
  readonly tickets: number;
  readonly dollarsPerThousand: number;
  readonly perThousand: CostLine[];
  /** Per ticket: transitions, invocations by function, mean billed ms by function. */
  readonly perTicket: {
    stateTransitions: number;
    lambda: Record<string, { invocations: number; meanBilledMs: number }>;
    dynamodbByTable: Record<string, { readUnits: number; writeUnits: number }>;
    sqsByOperation: Record<string, number>;
  };
}

export interface CostResult {
  readonly prices: { checkedOn: string; region: string };
  readonly scenarios: ScenarioCost[];
  readonly complaintTargetDollarsPerThousand: number;
  readonly complaintTargetMet: boolean;
  /** Cost a month of the scheduled functions, whatever the number of tickets. */
  readonly scheduledDollarsPerMonth: number;
  readonly emptyReceives: number;
}

/**
 * Runs each path of a ticket `ticketsPerScenario` times on the local stack (in this process,
 * manual clock, one ticket at a time so durations are not inflated by other tickets' work)
 * and prices what AWS would bill for it, the delivery of each ticket's callbacks included.
 */
export async function benchCost(ticketsPerScenario: number, log: (line: string) => void): Promise<CostResult> {
  const receiver = await startAcceptingReceiver();
  const configFile = join(mkdtempSync(join(tmpdir(), 'aftercare-bench-cost-')), 'config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      marketplaces: { [MARKETPLACE]: { webhookSecrets: [SECRET], callbackUrl: `${receiver.url}/callbacks`, callbackSecret: 'bench-callback-secret-0001' } },
      onCall: { webhookUrl: `${receiver.url}/on-call` },
    }),
  );
  const meter = new AwsMeter();
  meter.install();
  const stackLog: string[] = [];
  const stack = await startLocalStack({ port: 0, clock: 'manual', configFile, log: (line) => stackLog.push(line) }).catch((error: unknown) => {
    meter.uninstall();
    throw error;
  });
  meter.useClock(() => stack.clock.nowMs());
  const api = new BenchApi(stack.url, MARKETPLACE, SECRET);
  api.onApiRequest = (method, path, status, bytes) => {
    meter.usage.apiRequests += 1;
    meter.usage.logBytes.apiAccess += apiAccessLogLineBytes(method, path, status, bytes);
  };
  const context = { api, nowSeconds: () => Math.floor(stack.clock.nowMs() / 1000) };
  const sfn = new SFNClient({ endpoint: stack.endpoints.sfn, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  const dynamo = new DynamoDBClient({ endpoint: stack.endpoints.dynamodb, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  const documents = DynamoDBDocumentClient.from(dynamo);
  meter.sizeTransactionsWith(dynamo);
  meter.exempt(documents);

  try {
    log(`cost: warming up (one ticket per path)`);
    for (const [index, scenario] of SCENARIOS.entries()) await scenario.run(context, `warm-${index}`);

    const scenarios: ScenarioCost[] = [];
    for (const [index, scenario] of SCENARIOS.entries()) {
      await meter.settled();
      const before = snapshot(meter.usage);
      const ticketIds: string[] = [];
      for (let n = 0; n < ticketsPerScenario; n += 1) ticketIds.push(await scenario.run(context, `cost-${index}-${n}`));
      await api.advance(0);
      await meter.settled();
      const usage = difference(meter.usage, before);
      for (const ticketId of ticketIds) {
        const ticket = await documents.send(new GetCommand({ TableName: 'aftercare-tickets', Key: { pk: `TICKET#${ticketId}` } }));
        if (ticket.Item?.stage !== 'closed') throw new Error(`${scenario.name}: ticket ${ticketId} ended at ${String(ticket.Item?.stage)}, not closed`);
        const undelivered = ((ticket.Item.callbacks ?? []) as { id: string; deliveredAt?: string }[]).filter((callback) => !callback.deliveredAt);
        if (undelivered.length) throw new Error(`${scenario.name}: ticket ${ticketId} has callbacks not delivered: ${undelivered.map((callback) => callback.id).join(', ')}`);
        await addWorkflowUsage(usage, sfn, stack.stateMachineArns[scenario.kind], ticketId);
        usage.s3Puts += await checkpointPuts(documents, ticketId);
      }
      const lines = perThousand(costLines(usage), ticketsPerScenario);
      scenarios.push({
        scenario: scenario.name,
        column: scenario.column,
        kind: scenario.kind,
        tickets: ticketsPerScenario,
        dollarsPerThousand: totalDollars(lines),
        perThousand: lines,
        perTicket: {
          stateTransitions: usage.stateTransitions / ticketsPerScenario,
          lambda: Object.fromEntries(
            (Object.entries(usage.lambda) as [FunctionId, { invocations: number; billedMs: number }][]).map(([id, fn]) => [
              id,
              { invocations: fn.invocations / ticketsPerScenario, meanBilledMs: fn.billedMs / fn.invocations },
            ]),
          ),
          dynamodbByTable: Object.fromEntries(
            Object.entries(usage.dynamodb.byTable).map(([table, units]) => [
              table,
              { readUnits: units.readUnits / ticketsPerScenario, writeUnits: units.writeUnits / ticketsPerScenario },
            ]),
          ),
          sqsByOperation: Object.fromEntries(Object.entries(usage.sqsByOperation).map(([operation, count]) => [operation, count / ticketsPerScenario])),
        },
      });
      log(`cost: ${scenario.name}: $${totalDollars(lines).toFixed(4)} per 1,000 tickets`);
    }
    const complaints = scenarios.filter((scenario) => scenario.kind === 'complaint');
    await meter.settled();
    return {
      prices: { checkedOn: AWS_PRICES.checkedOn, region: AWS_PRICES.region },
      scenarios,
      complaintTargetDollarsPerThousand: COMPLAINT_TARGET_DOLLARS_PER_THOUSAND,
      complaintTargetMet: complaints.every((scenario) => scenario.dollarsPerThousand <= COMPLAINT_TARGET_DOLLARS_PER_THOUSAND),
      scheduledDollarsPerMonth: scheduledMonthlyDollars(meter.scheduled),
      emptyReceives: meter.emptyReceives,
    };
  } catch (error) {
    log(`cost: stack log:\n${stackLog.join('\n')}\nhandler output (tail):\n${meter.handlerOutput.slice(-4000)}`);
    throw error;
  } finally {
    sfn.destroy();
    documents.destroy();
    await stack.stop();
    meter.uninstall();
    await receiver.close();
  }
}

/** Billed transitions (states entered) and Step Functions log bytes of every execution the ticket had. */
async function addWorkflowUsage(usage: Usage, sfn: SFNClient, stateMachineArn: string, ticketId: string): Promise<void> {
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new ListExecutionsCommand({ stateMachineArn, nextToken }));
    for (const execution of page.executions ?? []) {
      if (!execution.name?.startsWith(ticketId)) continue;
      for (const event of await history(sfn, execution.executionArn!)) {
        if (event.type?.endsWith('StateEntered')) usage.stateTransitions += 1;
        usage.logBytes.stepFunctions += stepFunctionsLogLineBytes(event, execution.executionArn!);
      }
    }
    nextToken = page.nextToken;
  } while (nextToken);
}

async function history(sfn: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 1000 }));
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

/**
 * The checkpointer writes a ticket's chain head once for every checkpoint period in which
 * its audit trail grew. A manual clock's jumps run it less often than AWS would, so these
 * puts are counted from the trail's event times rather than from the local runs.
 */
async function checkpointPuts(documents: DynamoDBDocumentClient, ticketId: string): Promise<number> {
  const periods = new Set<number>();
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new QueryCommand({ TableName: 'aftercare-audit', KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `TICKET#${ticketId}` }, ExclusiveStartKey: startKey }),
    );
    for (const item of page.Items ?? []) periods.add(Math.floor(Date.parse(String(item.at)) / (CHECKPOINT_EVERY_MINUTES * 60_000)));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return periods.size;
}

/** A month of the schedules, at the mean cost of the scheduled runs measured. */
function scheduledMonthlyDollars(scheduled: Usage): number {
  const runs = Object.values(scheduled.lambda).reduce((sum, fn) => sum + fn.invocations, 0);
  if (runs === 0) return 0;
  let dollars = 0;
  let monthlyRuns = 0;
  for (const schedule of schedules) {
    const measured = scheduled.lambda[schedule.function];
    const perMonth = MINUTES_PER_MONTH / schedule.everyMinutes;
    monthlyRuns += perMonth;
    const meanBilledMs = measured ? measured.billedMs / measured.invocations : 0;
    dollars += perMonth * (AWS_PRICES.lambda.perRequest + gbSeconds(schedule.function, meanBilledMs) * AWS_PRICES.lambda.perArm64GbSecond);
  }
  const perRun = { ...scheduled, lambda: {}, stateTransitions: 0 };
  dollars += (totalDollars(costLines(perRun)) / runs) * monthlyRuns;
  return dollars;
}

/** Answers every notification and callback with 204, as healthy receivers do. */
async function startAcceptingReceiver() {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(204).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
