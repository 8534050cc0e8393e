import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { unsafeUniformIntDistribution, xoroshiro128plus } from 'pure-rand';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { tables } from '@infra/resources';
import { createGetKpiReport } from '@functions/get-kpi-report/get-kpi-report';
import type { AuditEvent, FieldChange } from '@shared/audit/audit-event';
import { systemClock } from '@shared/clock';
import type { MarketplaceRegistry } from '@shared/config/marketplaces';
import { reduceAuditEvent, type CounterDelta, type KpiTicket } from '@shared/reports/kpi-ticket';
import { KpiStore, mergeCounterDeltas } from '@shared/reports/kpi-store';
import { createTables, startDynamoDbLocal } from '../infra/local/aws/dynamodb-local';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../infra/local/aws/local-aws-environment';
import { freePort } from '../infra/local/ports';
import { closedLoop, ms, percentile } from './stats';

const ZONE = 'Asia/Shanghai';
const QUARTER_START = Date.parse('2026-03-31T16:00:00Z'); // 2026-04-01 00:00 in Shanghai
const QUARTER_MS = 91 * 86_400_000;
const AGENTS = 40;
const WARM_UP_REQUESTS = 50;
const CATEGORIES = ['order', 'logistics', 'product_quality', 'after_sales', 'payment', 'service_attitude', 'other'];
const PRIORITIES = ['low', 'normal', 'high', 'urgent'];
const CHANNELS = ['web', 'app', 'phone', 'email', 'chat', 'other'];

/** A seeded generator of numbers in [0, 1), so each size sees the same quarter on every run. */
function random(seed: number) {
  const generator = xoroshiro128plus(seed);
  return () => unsafeUniformIntDistribution(0, 2 ** 31 - 1, generator) / 2 ** 31;
}

/**
 * The counter changes a quarter of `count` complaints makes, through the aggregator's own
 * reducer: each ticket's audit events (opening, first response, handling, resolution, and a
 * survey answer for most) folded as the stream would fold them.
 */
function quarterOfDeltas(count: number): CounterDelta[] {
  const next = random(count);
  const deltas: CounterDelta[] = [];
  for (let index = 0; index < count; index += 1) {
    const opened = QUARTER_START + Math.floor(next() * (QUARTER_MS - 3 * 86_400_000));
    const iso = (offsetMs: number) => new Date(opened + offsetMs).toISOString();
    const due = { firstResponse: { dueAt: iso(900_000) }, initialHandling: { dueAt: iso(86_400_000) }, resolution: { dueAt: iso(172_800_000) } };
    const agent = `agent-${Math.floor(next() * AGENTS)}`;
    const respondedMs = Math.floor(next() * 1_800_000);
    const resolvedMs = Math.floor(next() * 200_000_000);
    const events: [string, number, { type: string; id: string }, FieldChange[]][] = [
      [
        'ticket.created',
        0,
        { type: 'marketplace', id: 'bench' },
        [
          { field: 'kind', from: null, to: 'complaint' },
          { field: 'createdAt', from: null, to: iso(0) },
          { field: 'category', from: null, to: CATEGORIES[Math.floor(next() * CATEGORIES.length)] },
          { field: 'priority', from: null, to: PRIORITIES[Math.floor(next() * PRIORITIES.length)] },
          { field: 'channel', from: null, to: CHANNELS[Math.floor(next() * CHANNELS.length)] },
          { field: 'escalationTier', from: null, to: Math.floor(next() * 2) },
          { field: 'stage', from: null, to: 'awaiting_first_response' },
          { field: 'deadlines', from: null, to: due },
        ],
      ],
      ['ticket.responded', respondedMs, { type: 'agent', id: agent }, [{ field: 'stage', from: 'awaiting_first_response', to: 'awaiting_handling' }, { field: 'deadlines', from: null, to: { ...due, firstResponse: { ...due.firstResponse, metAt: iso(respondedMs) } } }]],
      ['ticket.resolved', resolvedMs, { type: 'agent', id: agent }, [{ field: 'stage', from: 'awaiting_handling', to: 'resolved' }, { field: 'deadlines', from: null, to: { ...due, initialHandling: { ...due.initialHandling, metAt: iso(resolvedMs) }, resolution: { ...due.resolution, metAt: iso(resolvedMs) } } }]],
    ];
    if (next() < 0.7) {
      const csat = 1 + Math.floor(next() * 5);
      events.push(['survey.answered', resolvedMs + 3_600_000, { type: 'marketplace', id: 'bench' }, [{ field: 'stage', from: 'resolved', to: 'closed' }, { field: 'facts', from: {}, to: { survey: { csat, nps: Math.floor(next() * 11) } } }]]);
    }
    let ticket: KpiTicket | undefined;
    events.forEach(([action, offset, actor, changes], seq) => {
      const event = { ticketId: `t-${index}`, marketplace: 'bench', seq: seq + 1, at: iso(offset), actor, via: 'api', action, changes, prevHash: '', hash: '' } as AuditEvent;
      const reduced = reduceAuditEvent(ticket, event)!;
      ticket = reduced.ticket;
      deltas.push(...reduced.deltas);
    });
  }
  return deltas;
}

export interface KpiReportTiming {
  readonly tickets: number;
  /** Counter items the quarter's tickets make (per day and month × family × groups). */
  readonly counterItems: number;
  readonly seedSeconds: number;
  readonly groupBy: 'none' | 'agent';
  readonly rows: number;
  readonly opened: number;
  readonly requests: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export interface KpiReportResult {
  readonly timings: readonly KpiReportTiming[];
  /** p99 at the largest size ÷ p99 at the smallest, per grouping: how the report's time grows with tickets. */
  readonly p99GrowthLargestOverSmallest: Readonly<Record<string, number>>;
}

/**
 * The KPI report bench: a quarterly report (per month, overall and per agent) over the counters of
 * 10,000 and 100,000 complaints. The counters are seeded directly (the reducer's deltas merged
 * and written as the aggregator leaves them), not by replaying a stream: 100,000 tickets'
 * audit events through DynamoDB Local would take hours here. The report reads counters only,
 * so its time depends on periods and groups, not on tickets.
 */
export async function benchKpiReports(sizes: readonly number[] = [10_000, 100_000], requests = 200, log: (line: string) => void = console.log): Promise<KpiReportResult> {
  const dynamo = await startDynamoDbLocal({ port: await freePort() });
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: dynamo.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }));
  const timings: KpiReportTiming[] = [];
  try {
    await createTables(dynamo.endpoint, { reports: tables.reports }, { reports: 'bench-reports' });
    const store = new KpiStore(client, 'bench-reports');
    for (const size of sizes) {
      const marketplace = `bench-${size}`;
      const seedStarted = performance.now();
      const items = mergeCounterDeltas(marketplace, quarterOfDeltas(size), ZONE);
      await closedLoop(items.length, 16, async (index) => {
        const item = items[index]!;
        await client.send(new PutCommand({ TableName: 'bench-reports', Item: { ...item.key, period: item.period, groups: item.groups, ...Object.fromEntries(item.counters) } }));
      });
      const seedSeconds = Number(((performance.now() - seedStarted) / 1000).toFixed(1));
      log(`kpi report: ${size} tickets seeded as ${items.length} counter items in ${seedSeconds} s`);

      const registry: MarketplaceRegistry = { marketplaces: { [marketplace]: { webhookSecrets: ['bench-secret-0123456789'], calendar: { timeZone: ZONE } } }, onCall: {} } as never;
      const report = createGetKpiReport({ store, registry: async () => registry, clock: systemClock });
      for (const groupBy of [undefined, 'agent'] as const) {
        const event = {
          queryStringParameters: { marketplace, period: 'quarter', from: '2026-04-01', to: '2026-07-01', ...(groupBy ? { groupBy } : {}) },
          requestContext: { authorizer: { jwt: { claims: { sub: 'bench', role: 'manager', marketplaces: '*' } } } },
        } as unknown as APIGatewayProxyEventV2;
        const first = await report(event);
        const rows = (JSON.parse(first.body as string) as { rows: { volume: { opened: number } }[] }).rows;
        const opened = rows.reduce((sum, row) => sum + row.volume.opened, 0);
        // Unmeasured first: DynamoDB Local's JVM and the handler warm up on the first size otherwise.
        await closedLoop(WARM_UP_REQUESTS, 1, async () => void (await report(event)));
        const { latencies } = await closedLoop(requests, 1, async () => void (await report(event)));
        const [p50Ms, p99Ms] = [percentile(latencies, 50), percentile(latencies, 99)].map((value) => Number(value.toFixed(1))) as [number, number];
        timings.push({ tickets: size, counterItems: items.length, seedSeconds, groupBy: groupBy ?? 'none', rows: rows.length, opened, requests, p50Ms, p99Ms });
        log(
          `kpi report: quarter of ${size} tickets${groupBy ? ` per ${groupBy}` : ''} (${rows.length} rows, ${opened} opened): ` +
            `p50 ${ms(p50Ms)}, p99 ${ms(p99Ms)} over ${requests} requests`,
        );
      }
    }
  } finally {
    client.destroy();
    await dynamo.stop();
  }
  const smallest = Math.min(...sizes);
  const largest = Math.max(...sizes);
  const p99Of = (tickets: number, groupBy: string) => timings.find((timing) => timing.tickets === tickets && timing.groupBy === groupBy)!.p99Ms;
  const p99GrowthLargestOverSmallest = Object.fromEntries(
    (['none', 'agent'] as const).map((groupBy) => [groupBy, Number((p99Of(largest, groupBy) / p99Of(smallest, groupBy)).toFixed(2))]),
  );
  return { timings, p99GrowthLargestOverSmallest };
}

if (process.argv[1]?.endsWith('kpi-report.ts')) {
  benchKpiReports().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
