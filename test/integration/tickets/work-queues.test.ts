import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ValidationError } from '@shared/errors';
import type { NewTicket } from '@shared/tickets/decide-event';
import type { TicketFilters } from '@shared/tickets/queue-query';
import { ticketIdFor, type Deadline, type DeadlineName } from '@shared/tickets/ticket';
import { TicketQueue } from '@shared/tickets/ticket-queue';
import { TicketRepository } from '@shared/tickets/ticket-repository';
import { createListTickets } from '@functions/list-tickets/list-tickets';
import { ManualClock } from '../../../infra/local/clock/manual-clock';
import { startDynamoFixture, type DynamoFixture } from '../../support/dynamodb-fixture';

const T0 = Date.parse('2026-03-02T08:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
const system = { actor: { type: 'system' as const, id: 'test' }, via: 'workflow' as const, action: 'ticket.created' };

function ticket(marketplace: string, reference: string, fields: Partial<NewTicket> = {}): NewTicket {
  return {
    id: ticketIdFor(marketplace, reference),
    kind: 'complaint',
    marketplace,
    externalRef: reference,
    orderId: `order-${reference}`,
    customerRef: `cust-${reference}`,
    subject: `about ${reference}`,
    priority: 'normal',
    category: 'logistics',
    facts: {},
    stage: 'awaiting_first_response',
    escalationTier: 0,
    deadlines: { firstResponse: { dueAt: at(15) } },
    breaches: [],
    ...fields,
  };
}

const due = (minutes: number, more: Partial<Deadline> = {}): Deadline => ({ dueAt: at(minutes), ...more });

/** A call of the route as API Gateway hands it to the function. */
function request(query: Record<string, string>, caller: { sub: string; role: string; marketplaces: string }, routeKey = 'GET /tickets') {
  return {
    routeKey,
    queryStringParameters: query,
    requestContext: { authorizer: { jwt: { claims: caller } } },
  } as unknown as APIGatewayProxyEventV2;
}

describe('work queues (GET /tickets) on DynamoDB Local', () => {
  let dynamo: DynamoFixture;
  let repository: TicketRepository;
  let queue: TicketQueue;
  const clock = new ManualClock(T0);
  const ref = (id: string) => id;
  const filters = (more: Partial<TicketFilters> = {}): TicketFilters => ({ marketplace: 'q1', status: 'open', ...more });
  const ids = async (more: Partial<TicketFilters> = {}, limit = 50) => (await queue.list(filters(more), limit)).items.map((item) => item.reference);

  beforeAll(async () => {
    dynamo = await startDynamoFixture();
    repository = new TicketRepository({ client: dynamo.client, ticketsTable: dynamo.tableNames.tickets, auditTable: dynamo.tableNames.audit, clock });
    queue = new TicketQueue(dynamo.client, dynamo.tableNames.tickets, clock);
    const deadlines = (entries: Partial<Record<DeadlineName, Deadline>>) => entries;
    const open: NewTicket[] = [
      ticket('q1', 'A', { assignee: 'alice', deadlines: deadlines({ firstResponse: due(15) }) }),
      ticket('q1', 'B', { assignee: 'bob', escalationTier: 1, stage: 'awaiting_handling', deadlines: deadlines({ firstResponse: due(15, { metAt: at(5) }), initialHandling: due(120) }) }),
      ticket('q1', 'C', { deadlines: deadlines({ firstResponse: due(30) }), customerRef: 'cust-shared', orderId: 'order-shared' }),
      ticket('q1', 'D', { escalationTier: 2, stage: 'awaiting_resolution', deadlines: deadlines({ resolution: due(300, { warnedAt: at(-5) }) }) }),
      ticket('q1', 'G', {
        escalationTier: 1,
        stage: 'awaiting_handling',
        deadlines: deadlines({ firstResponse: due(-10, { breachedAt: at(-10) }), initialHandling: due(1440) }),
        breaches: [{ metric: 'firstResponse', dueAt: at(-10), recordedAt: at(-10), lateBySeconds: 0 }],
        customerRef: 'cust-shared',
      }),
      ticket('q1', 'R', { kind: 'return', stage: 'requested', category: undefined, deadlines: deadlines({ merchantDecision: due(2880) }), orderId: 'order-shared' }),
      ticket('q2', 'X', { assignee: 'alice', deadlines: deadlines({ firstResponse: due(1) }) }),
    ];
    for (const fields of open) await repository.create(fields, system);
    for (const [reference, closedAt, assignee] of [['E', at(10), 'alice'], ['F', at(20), undefined]] as const) {
      await repository.create(ticket('q1', reference, assignee ? { assignee } : {}), system);
      const created = await repository.get(ticketIdFor('q1', reference));
      await repository.update(created, { stage: 'closed', closedAt, deadlines: { firstResponse: due(15, { metAt: at(1) }) } }, { ...system, action: 'ticket.closed' });
    }
  }, 300_000);

  afterAll(async () => {
    await dynamo?.stop();
  });

  it('lists open tickets soonest due first, closed ones newest first, one marketplace only', async () => {
    expect(await ids()).toEqual(['A', 'C', 'B', 'D', 'G', 'R']);
    expect(await ids({ status: 'closed' })).toEqual(['F', 'E']);
    const [first] = (await queue.list(filters(), 1)).items;
    expect(first).toEqual({
      id: ticketIdFor('q1', 'A'),
      kind: 'complaint',
      marketplace: 'q1',
      reference: 'A',
      subject: 'about A',
      stage: 'awaiting_first_response',
      tier: 0,
      assignee: 'alice',
      priority: 'normal',
      category: 'logistics',
      nextDeadline: { name: 'firstResponse', dueAt: at(15) },
      breaches: [],
      updatedAt: at(0),
    });
    // A warned deadline says when its warning was recorded, so a queue can mark it.
    const warned = (await queue.list(filters({ tierAtLeast: 2 }), 1)).items[0];
    expect(warned?.nextDeadline).toEqual({ name: 'resolution', dueAt: at(300), warnedAt: at(-5) });
  });

  it('serves each filter, alone and combined, in queue order', async () => {
    expect(await ids({ assignee: 'alice' })).toEqual(['A']);
    expect(await ids({ assignee: 'alice', status: 'closed' })).toEqual(['E']);
    expect(await ids({ unassigned: true })).toEqual(['C', 'D', 'G', 'R']);
    expect(await ids({ unassigned: true, tierAtLeast: 1 })).toEqual(['D', 'G']);
    expect(await ids({ unassigned: true, kind: 'return' })).toEqual(['R']);
    expect(await ids({ tierAtLeast: 1 })).toEqual(['B', 'D', 'G']);
    expect(await ids({ tierAtLeast: 2 })).toEqual(['D']);
    expect(await ids({ stage: 'awaiting_handling' })).toEqual(['B', 'G']);
    expect(await ids({ kind: 'return' })).toEqual(['R']);
    // At risk: due within the hour (A, C), or a warning recorded (D, due in 5 h).
    expect(await ids({ atRisk: true })).toEqual(['A', 'C', 'D']);
    expect(await ids({ atRisk: true, tierAtLeast: 1 })).toEqual(['D']);
    expect(await ids({ atRisk: true, assignee: 'alice' })).toEqual(['A']);
    expect(await ids({ breached: true })).toEqual(['G']);
    expect(await ids({ breached: true, atRisk: true })).toEqual([]);
    expect(await ids({ dueBefore: at(180) })).toEqual(['A', 'C', 'B']);
    expect(await ids({ dueBefore: at(30) })).toEqual(['A']);
    expect(await ids({ dueBefore: at(180), unassigned: true })).toEqual(['C']);
    expect(await ids({ reference: 'D' })).toEqual(['D']);
    expect(await ids({ reference: 'E' })).toEqual([]);
    expect(await ids({ reference: 'E', status: 'closed' })).toEqual(['E']);
    expect(await ids({ reference: 'X' })).toEqual([]);
    expect(await ids({ orderId: 'order-shared' })).toEqual(['C', 'R']);
    expect(await ids({ customerRef: 'cust-shared' })).toEqual(['C', 'G']);
    expect(await ids({ customerRef: 'cust-shared', orderId: 'order-shared' })).toEqual(['C']);
    expect(await ids({ customerRef: 'cust-shared', breached: true })).toEqual(['G']);
  });

  it('measures "at risk" from the time of the first page, and moves with the clock', async () => {
    const later = new TicketQueue(dynamo.client, dynamo.tableNames.tickets, new ManualClock(T0 + 3600_000));
    // An hour on: B (due at +2 h) is within the hour now.
    const page = await later.list(filters({ atRisk: true }), 3);
    expect(page.items.map((item) => item.reference)).toEqual(['A', 'C', 'B']);
    // The next page is measured from the same moment, even when the clock moved on meanwhile.
    expect((await queue.list(filters({ atRisk: true }), 3, page.cursor)).items.map((item) => item.reference)).toEqual(['D']);
  });

  it('returns full pages, filtered or not, and a last page without a cursor', async () => {
    const pages = async (more: Partial<TicketFilters>, limit: number) => {
      const seen: string[][] = [];
      let cursor: string | undefined;
      do {
        const page = await queue.list(filters(more), limit, cursor);
        seen.push(page.items.map((item) => item.reference));
        cursor = page.cursor;
      } while (cursor);
      return seen;
    };
    expect(await pages({}, 2)).toEqual([['A', 'C'], ['B', 'D'], ['G', 'R']]);
    expect(await pages({ tierAtLeast: 1 }, 2)).toEqual([['B', 'D'], ['G']]);
    expect(await pages({ atRisk: true }, 2)).toEqual([['A', 'C'], ['D']]);
    expect(await pages({ atRisk: true }, 1)).toEqual([['A'], ['C'], ['D']]);
    expect(await pages({ status: 'closed' }, 1)).toEqual([['F'], ['E']]);
  });

  it('pages through 250 tickets due at the same moment, each exactly once', async () => {
    for (let start = 0; start < 250; start += 25) {
      await Promise.all(
        Array.from({ length: 25 }, (_unused, offset) => start + offset).map((n) =>
          repository.create(ticket('bulk', `bulk-${n}`, { assignee: n % 2 ? 'carol' : undefined, kind: n % 5 ? 'complaint' : 'return' }), system),
        ),
      );
    }
    const collect = async (more: Partial<TicketFilters>, limit: number) => {
      const seen: string[] = [];
      let cursor: string | undefined;
      let full = true;
      do {
        const page = await queue.list({ ...filters(more), marketplace: 'bulk' }, limit, cursor);
        if (page.cursor && page.items.length !== limit) full = false;
        seen.push(...page.items.map((item) => item.reference));
        cursor = page.cursor;
      } while (cursor);
      return { seen, full };
    };
    const all = await collect({}, 7);
    expect(all.seen).toHaveLength(250);
    expect(new Set(all.seen).size).toBe(250);
    expect(all.full).toBe(true);
    // Filtered inside the pages (kind), over the unassigned pool: 125 unassigned, of which 25 returns.
    const returns = await collect({ unassigned: true, kind: 'return' }, 4);
    expect(returns.seen).toHaveLength(25);
    expect(new Set(returns.seen).size).toBe(25);
    expect(returns.full).toBe(true);
    const mine = await collect({ assignee: 'carol' }, 50);
    expect(new Set(mine.seen).size).toBe(125);
  }, 600_000);

  it('refuses a cursor it did not make for this query (400)', async () => {
    const page = await queue.list(filters(), 2);
    const cursor = page.cursor!;
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const forge = (change: (body: any) => void) => {
      const copy = structuredClone(decoded);
      change(copy);
      return Buffer.from(JSON.stringify(copy)).toString('base64url');
    };
    const forged = [
      'not-a-cursor',
      Buffer.from('[1,2]').toString('base64url'),
      Buffer.from('{"v":1}').toString('base64url'),
      forge((body) => (body.k.queueMarketplace = 'q2')),
      forge((body) => (body.k.queueKey = 'closed#2026')),
      forge((body) => (body.k.extra = 'x')),
      forge((body) => delete body.k.pk),
      forge((body) => (body.k.pk = 42)),
      forge((body) => (body.s = 1)),
      forge((body) => (body.a = 'yesterday')),
      forge((body) => (body.q = '0000000000000000')),
    ];
    for (const text of forged) await expect(queue.list(filters(), 2, text)).rejects.toThrow(ValidationError);
    // A cursor continues only the query it came from.
    await expect(queue.list(filters({ kind: 'complaint' }), 2, cursor)).rejects.toThrow(ValidationError);
    await expect(queue.list({ ...filters(), marketplace: 'q2' }, 2, cursor)).rejects.toThrow(ValidationError);
    expect((await queue.list(filters(), 2, cursor)).items.map((item) => item.reference)).toEqual(['B', 'D']);
  });

  it('serves `assignee=me` as the caller, within the caller\'s grant, and checks the query', async () => {
    const list = createListTickets({ queue });
    const alice = { sub: 'alice', role: 'agent', marketplaces: 'q1' };
    const answer = await list(request({ assignee: 'me' }, alice));
    expect(answer.statusCode).toBe(200);
    expect(JSON.parse(answer.body as string).items.map((item: { reference: string }) => item.reference)).toEqual(['A']);
    await expect(list(request({ marketplace: 'q2' }, alice))).rejects.toMatchObject({ statusCode: 403 });
    await expect(list(request({}, { ...alice, marketplaces: '*' }))).rejects.toMatchObject({ statusCode: 400 });
    for (const query of <Record<string, string>[]>[{ colour: 'red' }, { atRisk: 'yes' }, { tierAtLeast: '9' }, { dueBefore: 'soon' }, { status: 'closed', atRisk: 'true' }, { assignee: 'me', unassigned: 'true' }, { limit: '0' }]) {
      await expect(list(request(query, alice))).rejects.toMatchObject({ statusCode: 400 });
    }
  });

  it('sums up the open queue for a manager: stage × tier, at risk, breached, unassigned', async () => {
    const list = createListTickets({ queue });
    const answer = await list(request({ marketplace: 'q1' }, { sub: 'mia', role: 'manager', marketplaces: 'q1' }, 'GET /tickets/summary'));
    expect(JSON.parse(answer.body as string)).toEqual({
      marketplace: 'q1',
      asOf: at(0),
      open: 6,
      byStageAndTier: [
        { stage: 'awaiting_first_response', tier: 0, count: 2 },
        { stage: 'awaiting_handling', tier: 1, count: 2 },
        { stage: 'awaiting_resolution', tier: 2, count: 1 },
        { stage: 'requested', tier: 0, count: 1 },
      ],
      atRisk: { total: 3, byTier: { '0': 2, '2': 1 } },
      breached: { total: 1, byTier: { '1': 1 } },
      unassigned: { total: 4, byTier: { '0': 2, '1': 1, '2': 1 } },
    });
  });
});
