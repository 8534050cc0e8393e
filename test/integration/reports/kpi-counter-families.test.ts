import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { tables } from '@infra/resources';
import { KpiStore, mergeCounterDeltas } from '@shared/reports/kpi-store';
import type { CounterDelta, KpiTicket } from '@shared/reports/kpi-ticket';
import { buildKpiRows } from '@shared/reports/kpi-report';
import { createTables } from '../../../infra/local/aws/dynamodb-local';
import { startDynamoFixture, type DynamoFixture } from '../../support/dynamodb-fixture';

const ZONE = 'Asia/Shanghai';

const delta = (at: string, agent: string, category: string, counters: Record<string, number>): CounterDelta => ({
  at,
  groups: { agent, tier: '0', category, priority: 'normal', channel: 'app' },
  counters,
});

const state = (ticketId: string, lastSeq: number) => ({ ticketId, marketplace: 'acme', lastSeq }) as unknown as KpiTicket;

/**
 * Counter items are kept per family of dimensions (agent; tier, category, priority and
 * channel together), so an event with counts writes four of them, and a report by any
 * dimension sums its family's items by that dimension's group.
 */
describe('KPI counter families', () => {
  let dynamo: DynamoFixture;
  let store: KpiStore;
  const table = 'reports-families';

  beforeAll(async () => {
    dynamo = await startDynamoFixture();
    await createTables(dynamo.local.endpoint, { reports: tables.reports }, { reports: table });
    store = new KpiStore(dynamo.client, table);
  }, 120_000);

  afterAll(async () => {
    await dynamo?.stop();
  });

  it('spreads a delta over 4 counter items: each family by day and by month', () => {
    const items = mergeCounterDeltas('acme', [delta('2026-03-02T03:00:00.000Z', 'alice', 'payment', { opened: 1 })], ZONE);
    expect(items.map((item) => `${item.key.pk} ${item.key.sk}`).sort()).toEqual([
      'KPI#acme#day#agent 2026-03-02#alice',
      'KPI#acme#day#case 2026-03-02#0#payment#normal#app',
      'KPI#acme#month#agent 2026-03-01#alice',
      'KPI#acme#month#case 2026-03-01#0#payment#normal#app',
    ]);
    expect(items.find((item) => item.key.pk === 'KPI#acme#day#case')!.groups).toEqual({ tier: '0', category: 'payment', priority: 'normal', channel: 'app' });
  });

  it('writes an event with counts in 5 items (the state and 4 counters), and reads each dimension back by its groups', async () => {
    const day = '2026-03-02T03:00:00.000Z';
    await store.apply(undefined, state('t-1', 1), [delta(day, 'alice', 'payment', { opened: 1, frCount: 1 })], ZONE);
    await store.apply(undefined, state('t-2', 1), [delta(day, 'bob', 'payment', { opened: 1 })], ZONE);
    await store.apply(undefined, state('t-3', 1), [delta(day, 'alice', 'order', { opened: 1 })], ZONE);
    const { Items } = await dynamo.client.send(new ScanCommand({ TableName: table }));
    // 3 ticket states; agent items alice and bob, case items payment and order, each by day and month.
    expect(Items).toHaveLength(3 + 2 * 2 + 2 * 2);

    const byCategory = await store.counters('acme', 'day', 'category', '2026-03-02', '2026-03-03');
    const rows = buildKpiRows(byCategory, 'day', '2026-03-02', '2026-03-03', true);
    expect(rows.map((row) => [row.group, row.volume.opened])).toEqual([
      ['order', 1],
      ['payment', 2],
    ]);
    const byAgent = buildKpiRows(await store.counters('acme', 'month', 'agent', '2026-03-01', '2026-04-01'), 'month', '2026-03-01', '2026-04-01', true);
    expect(byAgent.map((row) => [row.group, row.volume.opened])).toEqual([
      ['alice', 2],
      ['bob', 1],
    ]);
    const byChannel = buildKpiRows(await store.counters('acme', 'month', 'channel', '2026-03-01', '2026-04-01'), 'month', '2026-03-01', '2026-04-01', true);
    expect(byChannel.map((row) => [row.group, row.volume.opened])).toEqual([['app', 3]]);
  });

  it('still counts what was stored with an item per dimension, before the families', async () => {
    // As counters were kept before: `KPI#<marketplace>#<period>#<dimension>`, the group in `group`.
    await dynamo.client.send(
      new PutCommand({ TableName: table, Item: { pk: 'KPI#acme#day#category', sk: '2026-03-02#payment', period: '2026-03-02', group: 'payment', opened: 4 } }),
    );
    const rows = buildKpiRows(await store.counters('acme', 'day', 'category', '2026-03-02', '2026-03-03'), 'day', '2026-03-02', '2026-03-03', true);
    expect(rows.map((row) => [row.group, row.volume.opened])).toEqual([
      ['order', 1],
      ['payment', 6],
    ]);
  });
});
