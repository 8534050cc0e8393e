import { marshall } from '@aws-sdk/util-dynamodb';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { tables } from '@infra/resources';
import { createAggregateKpis } from '@functions/aggregate-kpis/aggregate-kpis';
import type { AuditEvent } from '@shared/audit/audit-event';
import { KpiAggregator } from '@shared/reports/aggregator';
import { KpiStore } from '@shared/reports/kpi-store';
import { auditTrailRange } from '@shared/reports/trail-range';
import type { NewTicket } from '@shared/tickets/decide-event';
import type { Ticket } from '@shared/tickets/ticket';
import { TicketRepository } from '@shared/tickets/ticket-repository';
import { createTables } from '../../../infra/local/aws/dynamodb-local';
import { ManualClock } from '../../../infra/local/clock/manual-clock';
import { startDynamoFixture, type DynamoFixture } from '../../support/dynamodb-fixture';

const START = Date.parse('2026-03-01T01:00:00.000Z');
const MINUTE = 60_000;
const alice = { actor: { type: 'agent' as const, id: 'alice' }, via: 'api' as const };
const customer = { actor: { type: 'marketplace' as const, id: 'acme' }, via: 'webhook' as const };

function opening(id: string, category: NewTicket['category'], openedMs: number): NewTicket {
  const due = (minutes: number) => ({ dueAt: new Date(openedMs + minutes * MINUTE).toISOString() });
  return {
    id,
    kind: 'complaint',
    marketplace: 'acme',
    externalRef: id,
    orderId: `o-${id}`,
    customerRef: `c-${id}`,
    channel: 'app',
    category,
    priority: 'normal',
    facts: {},
    stage: 'awaiting_first_response',
    escalationTier: 0,
    deadlines: { firstResponse: due(15), initialHandling: due(24 * 60), resolution: due(48 * 60) },
    breaches: [],
  };
}

/**
 * The aggregator against DynamoDB Local, fed the records the audit table's stream carries:
 * every event counts once however often it comes, in whatever order, and whatever the
 * aggregator was doing when it crashed.
 */
describe('KPI aggregation is exactly once per audit event', () => {
  let dynamo: DynamoFixture;
  let records: DynamoDBRecord[];
  const clock = new ManualClock(START);
  let repository: TicketRepository;

  /** The audit table's stream records of these events, in this order. */
  const streamRecords = (events: readonly AuditEvent[]): DynamoDBRecord[] =>
    events.map((event, index) => ({
      eventName: 'INSERT',
      eventSource: 'aws:dynamodb',
      dynamodb: {
        SequenceNumber: String(index + 1).padStart(21, '0'),
        NewImage: marshall({ pk: `TICKET#${event.ticketId}`, sk: `SEQ#${String(event.seq).padStart(10, '0')}`, ...event }, { removeUndefinedValues: true }) as never,
      },
    }));

  beforeAll(async () => {
    dynamo = await startDynamoFixture();
    repository = new TicketRepository({ client: dynamo.client, ticketsTable: dynamo.tableNames.tickets, auditTable: dynamo.tableNames.audit, clock });
    const met = (ticket: Ticket, ...names: (keyof Ticket['deadlines'])[]) =>
      Object.fromEntries(Object.entries(ticket.deadlines).map(([name, deadline]) => [name, names.includes(name as never) ? { ...deadline, metAt: clock.now().toISOString() } : deadline]));
    for (const [index, category] of (['logistics', 'payment', 'order', 'logistics', 'payment'] as const).entries()) {
      const id = `tkt-${index}`;
      await repository.create(opening(id, category, clock.nowMs()), { ...customer, action: 'ticket.created' });
      await clock.advance((5 + index * 4) * 60);
      let ticket = await repository.get(id);
      ticket = await repository.update(ticket, { stage: 'awaiting_handling', deadlines: met(ticket, 'firstResponse') }, { ...alice, action: 'ticket.responded' });
      if (index % 2 === 0) ticket = await repository.update(ticket, { escalationTier: 1 }, { ...alice, action: 'ticket.escalated' });
      ticket = await repository.update(ticket, { stage: 'awaiting_resolution', deadlines: met(ticket, 'initialHandling') }, { ...alice, action: 'ticket.handled' });
      ticket = await repository.update(ticket, { stage: 'resolved', deadlines: met(ticket, 'resolution') }, { ...alice, action: 'ticket.resolved' });
      await clock.advance(3600);
      ticket = await repository.update(
        ticket,
        { stage: 'closed', closedAt: clock.now().toISOString(), facts: { survey: { csat: 2 + index, answeredAt: clock.now().toISOString() } } },
        { ...customer, action: 'survey.answered' },
      );
    }
    // The stream carries each ticket's events in order; tickets interleave by time.
    const events: AuditEvent[] = [];
    for (let index = 0; index < 5; index += 1) events.push(...(await repository.history(`tkt-${index}`)));
    events.sort((a, b) => a.at.localeCompare(b.at) || a.ticketId.localeCompare(b.ticketId) || a.seq - b.seq);
    records = streamRecords(events);
  }, 120_000);

  afterAll(async () => {
    await dynamo?.stop();
  });

  /** A fresh reports table, and a consumer of records writing to it (optionally through a store that fails). */
  async function consumer(name: string, wrap: (store: KpiStore) => KpiStore = (store) => store) {
    await createTables(dynamo.local.endpoint, { reports: tables.reports }, { reports: name });
    const store = wrap(new KpiStore(dynamo.client, name));
    const consume = createAggregateKpis({
      aggregator: new KpiAggregator({ store, trail: auditTrailRange(dynamo.client, dynamo.tableNames.audit), timeZoneOf: async () => 'Asia/Shanghai' }),
    });
    const counters = async () => {
      const { Items } = await dynamo.client.send(new ScanCommand({ TableName: name }));
      return (Items ?? []).filter((item) => String(item.pk).startsWith('KPI#')).sort((a, b) => `${a.pk}${a.sk}`.localeCompare(`${b.pk}${b.sk}`));
    };
    return { consume, counters };
  }

  let once: Record<string, unknown>[];

  it('counts each event once when the stream delivers each record once', async () => {
    const { consume, counters } = await consumer('reports-once');
    for (const record of records) expect(await consume(record)).toBe('applied');
    once = await counters();
    // The month's totals: the sum over either family's items, every delta being in one item of each.
    const monthSum = (family: string) => {
      const sum: Record<string, number> = {};
      for (const item of once.filter((candidate) => candidate.pk === `KPI#acme#month#${family}`)) {
        for (const [name, value] of Object.entries(item)) if (typeof value === 'number') sum[name] = (sum[name] ?? 0) + value;
      }
      return sum;
    };
    const monthAll = monthSum('agent');
    expect(monthSum('case')).toEqual(monthAll);
    expect(monthAll).toMatchObject({ opened: 5, frCount: 5, resolved: 5, closed: 5, escalations: 3, csatAnswers: 5, csatTotal: 2 + 3 + 4 + 5 + 6 });
    // 5, 9, 13, 17 (late) and 21 (late) minutes to the first response.
    expect(monthAll).toMatchObject({ frOnTime: 3, frTotalMs: (5 + 9 + 13 + 17 + 21) * MINUTE });
  });

  it('changes no figure when every record comes again, in order and in reverse', async () => {
    const { consume, counters } = await consumer('reports-redelivered');
    for (const record of records) await consume(record);
    for (const record of records) expect(await consume(record)).toBe('already_applied');
    for (const record of [...records].reverse()) expect(await consume(record)).toBe('already_applied');
    expect(await counters()).toEqual(once);
  });

  it('applies the missing events from the trail when a later one arrives first, and the earlier ones then change nothing', async () => {
    const { consume, counters } = await consumer('reports-out-of-order');
    for (const record of [...records].reverse()) await consume(record);
    for (const record of records) expect(await consume(record)).toBe('already_applied');
    expect(await counters()).toEqual(once);
  });

  it.each([1, 7, 20, 28])('changes no figure when the aggregator crashes after its write of record %i and the batch comes again', async (crashAfter) => {
    let writes = 0;
    const crashing = (store: KpiStore) =>
      Object.assign(Object.create(store) as KpiStore, {
        apply: async (...args: Parameters<KpiStore['apply']>) => {
          const written = await store.apply(...args);
          writes += 1;
          if (writes === crashAfter) throw new Error('aggregator crashed after its transaction');
          return written;
        },
      });
    const { consume, counters } = await consumer(`reports-crash-${crashAfter}`, crashing);
    const crashedAt = await (async () => {
      for (const [index, record] of records.entries()) {
        try {
          await consume(record);
        } catch {
          return index;
        }
      }
      return -1;
    })();
    expect(crashedAt).toBeGreaterThanOrEqual(0);
    expect(records).toHaveLength(28);
    // The mapping retries from the record that failed; say the whole batch comes again.
    for (const record of records) await consume(record);
    expect(await counters()).toEqual(once);
  });

  it('changes no figure when the aggregator crashes before its write, and the record comes again', async () => {
    let failed = false;
    const failingOnce = (store: KpiStore) =>
      Object.assign(Object.create(store) as KpiStore, {
        apply: async (...args: Parameters<KpiStore['apply']>) => {
          if (!failed) {
            failed = true;
            throw new Error('aggregator crashed before its transaction');
          }
          return store.apply(...args);
        },
      });
    const { consume, counters } = await consumer('reports-crash-before', failingOnce);
    await expect(consume(records[0]!)).rejects.toThrow('crashed before');
    for (const record of records) await consume(record);
    expect(await counters()).toEqual(once);
  });

  it("writes nothing for the workflow's bookkeeping, and still counts each event once", async () => {
    const id = 'tkt-bookkeeping';
    const workflow = { actor: { type: 'system' as const, id: 'workflow' }, via: 'workflow' as const, action: 'workflow.awaiting_agent', bookkeeping: true };
    await repository.create(opening(id, 'order', clock.nowMs()), { ...customer, action: 'ticket.created' });
    let ticket = await repository.get(id);
    ticket = await repository.update(ticket, { awaiting: { step: 'respond', taskToken: 'token-1', since: clock.now().toISOString() } }, workflow);
    await clock.advance(300);
    ticket = await repository.update(ticket, { stage: 'awaiting_handling', awaiting: undefined, deadlines: { ...ticket.deadlines, firstResponse: { ...ticket.deadlines.firstResponse!, metAt: clock.now().toISOString() } } }, { ...alice, action: 'ticket.responded' });
    ticket = await repository.update(ticket, { awaiting: { step: 'handle', taskToken: 'token-2', since: clock.now().toISOString() } }, workflow);
    const bookkeeping = streamRecords(await repository.history(id));
    expect(bookkeeping).toHaveLength(4);

    let writes = 0;
    const counting = (store: KpiStore) =>
      Object.assign(Object.create(store) as KpiStore, {
        apply: async (...args: Parameters<KpiStore['apply']>) => {
          writes += 1;
          return store.apply(...args);
        },
      });
    const { consume, counters } = await consumer('reports-bookkeeping', counting);
    for (const record of bookkeeping) expect(await consume(record)).toBe('applied');
    // The opening and the response; each wait's token is not written.
    expect(writes).toBe(2);
    const written = await counters();
    const month = written.filter((item) => item.pk === 'KPI#acme#month#case');
    expect(month).toHaveLength(1);
    expect(month[0]).toMatchObject({ opened: 1, frCount: 1, frOnTime: 1, frTotalMs: 5 * MINUTE });

    for (const record of [...bookkeeping, ...[...bookkeeping].reverse()]) await consume(record);
    expect(writes).toBe(2);
    expect(await counters()).toEqual(written);
  });
});
