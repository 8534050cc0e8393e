import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { createTables } from '../../infra/local/aws/dynamodb-local';
import type { AuditEvent } from '@shared/audit/audit-event';
import { AuditTrail, type AuditPage } from '@shared/audit/audit-trail';
import { verifyChain } from '@shared/audit/verify-chain';
import { VersionConflictError } from '@shared/errors';
import type { NewTicket } from '@shared/tickets/decide-event';
import type { Ticket } from '@shared/tickets/ticket';
import { TicketRepository } from '@shared/tickets/ticket-repository';
import { ManualClock } from '../../infra/local/clock/manual-clock';
import { startDynamoFixture, type DynamoFixture } from '../support/dynamodb-fixture';

const system = { actor: { type: 'system' as const, id: 'test' }, via: 'workflow' as const };

function newTicket(id: string): NewTicket {
  return {
    id,
    kind: 'complaint',
    marketplace: 'demo',
    externalRef: id,
    orderId: 'o-1',
    customerRef: 'c-1',
    channel: 'app',
    subject: 'Damaged',
    priority: 'normal',
    facts: {},
    stage: 'awaiting_first_response',
    escalationTier: 0,
    deadlines: { firstResponse: { dueAt: '2026-01-01T00:15:00.000Z' } },
    breaches: [],
  };
}

describe('TicketRepository on DynamoDB Local', () => {
  let dynamo: DynamoFixture;
  let repository: TicketRepository;
  const clock = new ManualClock(Date.parse('2026-01-01T00:00:00.000Z'));

  beforeAll(async () => {
    dynamo = await startDynamoFixture();
    repository = new TicketRepository({
      client: dynamo.client,
      ticketsTable: dynamo.tableNames.tickets,
      auditTable: dynamo.tableNames.audit,
      clock,
    });
  }, 90_000);

  afterAll(async () => {
    await dynamo?.stop();
  });

  it('creates a ticket once, with its first audit event', async () => {
    const created = await repository.create(newTicket('t-create'), { ...system, action: 'ticket.created' });
    expect(await repository.create(newTicket('t-create'), { ...system, action: 'ticket.created' })).toBeUndefined();

    const ticket = await repository.get('t-create');
    expect(created).toEqual(ticket); // the ticket as stored, as a reader gets it
    expect(ticket).toMatchObject({ version: 1, auditSeq: 1, createdAt: '2026-01-01T00:00:00.000Z' });
    const history = await repository.history('t-create');
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ seq: 1, action: 'ticket.created', actor: system.actor });
    expect(history[0]!.changes).toContainEqual({ field: 'stage', from: null, to: 'awaiting_first_response' });
  });

  it('records each change with its from → to and keeps the chain valid', async () => {
    await repository.create(newTicket('t-change'), { ...system, action: 'ticket.created' });
    const v1 = await repository.get('t-change');
    await repository.update(v1, { escalationTier: 1 }, { ...system, action: 'ticket.escalated', reason: 'test' });

    const history = await repository.history('t-change');
    expect(history.map((event) => event.seq)).toEqual([1, 2]);
    expect(history[1]).toMatchObject({ action: 'ticket.escalated', reason: 'test', changes: [{ field: 'escalationTier', from: 0, to: 1 }] });
    expect(verifyChain(history)).toMatchObject({ valid: true, events: 2 });
  });

  it('keeps task tokens out of the audit trail', async () => {
    await repository.create(newTicket('t-token'), { ...system, action: 'ticket.created' });
    const ticket = await repository.get('t-token');
    await repository.update(
      ticket,
      { awaiting: { step: 'firstResponse', taskToken: 'secret-token-value', since: clock.now().toISOString() } },
      { ...system, action: 'workflow.awaiting_agent' },
    );
    const history = await repository.history('t-token');
    expect(JSON.stringify(history)).not.toContain('secret-token-value');
    expect(history[1]!.changes).toEqual([{ field: 'awaiting', from: null, to: { step: 'firstResponse', since: '2026-01-01T00:00:00.000Z' } }]);
  });

  it("audits the system's bookkeeping but keeps updatedAt, and so the work queues' line, as it was", async () => {
    const bookClock = new ManualClock(Date.parse('2026-01-02T08:00:00.000Z'));
    const tickets = new TicketRepository({ client: dynamo.client, ticketsTable: dynamo.tableNames.tickets, auditTable: dynamo.tableNames.audit, clock: bookClock });
    const queueLine = async () =>
      (await dynamo.client.send(new GetCommand({ TableName: dynamo.tableNames.tickets, Key: { pk: 'TICKET#t-bookkeeping' } }))).Item!.queueItem;
    const opened = (await tickets.create(newTicket('t-bookkeeping'), { ...system, action: 'ticket.created' }))!;

    await bookClock.advanceTo(Date.parse('2026-01-02T08:00:05.000Z'));
    const waiting = await tickets.update(
      opened,
      { awaiting: { step: 'respond', taskToken: 'token-1', since: bookClock.now().toISOString() } },
      { ...system, action: 'workflow.awaiting_agent', bookkeeping: true },
    );
    expect(waiting).toMatchObject({ version: 2, updatedAt: '2026-01-02T08:00:00.000Z' });
    expect(await queueLine()).toMatchObject({ updatedAt: '2026-01-02T08:00:00.000Z' });
    expect((await tickets.history('t-bookkeeping'))[1]).toMatchObject({ seq: 2, action: 'workflow.awaiting_agent', at: '2026-01-02T08:00:05.000Z' });

    // A change of the case moves it.
    await bookClock.advanceTo(Date.parse('2026-01-02T08:00:09.000Z'));
    const escalated = await tickets.update(waiting, { escalationTier: 1 }, { ...system, action: 'ticket.escalated' });
    expect(escalated).toMatchObject({ version: 3, updatedAt: '2026-01-02T08:00:09.000Z' });
    expect(await queueLine()).toMatchObject({ tier: 1, updatedAt: '2026-01-02T08:00:09.000Z' });
  });

  it('lets one of two racing writers win and refuses the other, leaving no change without its event', async () => {
    await repository.create(newTicket('t-race'), { ...system, action: 'ticket.created' });
    const read = await repository.get('t-race');

    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, (_, writer) =>
        repository.update(read, { subject: `writer ${writer}` }, { ...system, action: 'ticket.renamed' }),
      ),
    );

    const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const lost = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost.every((outcome) => outcome.reason instanceof VersionConflictError)).toBe(true);
    const ticket = await repository.get('t-race');
    const history = await repository.history('t-race');
    expect(ticket.version).toBe(2);
    expect(history).toHaveLength(2);
    expect(history[1]!.changes).toEqual([{ field: 'subject', from: 'Damaged', to: ticket.subject }]);
    expect(verifyChain(history)).toMatchObject({ valid: true });
  });

  it('loses no update when racing writers re-read and retry', async () => {
    await repository.create(newTicket('t-counter'), { ...system, action: 'ticket.created' });
    const bump = async () => {
      for (;;) {
        const current = await repository.get('t-counter');
        try {
          return await repository.update(current, { escalationTier: current.escalationTier + 1 }, { ...system, action: 'ticket.bumped' });
        } catch (error) {
          if (!(error instanceof VersionConflictError)) throw error;
        }
      }
    };
    await Promise.all(Array.from({ length: 4 }, bump));

    const ticket: Ticket = await repository.get('t-counter');
    expect(ticket.escalationTier).toBe(4);
    const history = await repository.history('t-counter');
    expect(history).toHaveLength(5);
    expect(verifyChain(history)).toMatchObject({ valid: true, events: 5 });
  });

  it('counts a customer\'s recent complaints through the by-customer index', async () => {
    await repository.create({ ...newTicket('t-customer-1'), customerRef: 'repeat-customer' }, { ...system, action: 'ticket.created' });
    expect(await repository.countComplaintsSince('demo', 'repeat-customer', '2025-12-01T00:00:00.000Z')).toBe(1);
    expect(await repository.countComplaintsSince('demo', 'repeat-customer', '2026-01-02T00:00:00.000Z')).toBe(0);
    expect(await repository.countComplaintsSince('other', 'repeat-customer', '2025-12-01T00:00:00.000Z')).toBe(0);
  });

  it('adds an index a newer description has to a table kept from before', async () => {
    const legacy = { envVar: 'X', partitionKey: { name: 'pk', type: 'S' as const }, indexes: [] };
    await createTables(dynamo.local.endpoint, { legacy }, { legacy: 'test-legacy' });
    const upgraded = { ...legacy, indexes: [{ name: 'by-x', partitionKey: { name: 'x', type: 'S' as const } }] };
    await createTables(dynamo.local.endpoint, { legacy: upgraded }, { legacy: 'test-legacy' });
    const { Table } = await dynamo.client.send(new DescribeTableCommand({ TableName: 'test-legacy' }));
    expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual(['by-x']);
  });

  it('finds open tickets of a marketplace due before a time, with their kind and workflow intent, and drops them from the index once closed', async () => {
    await repository.create({ ...newTicket('t-due-1'), marketplace: 'due-market' }, { ...system, action: 'ticket.created' });
    await repository.create(
      { ...newTicket('t-due-2'), marketplace: 'due-market', deadlines: { firstResponse: { dueAt: '2026-01-01T02:00:00.000Z' } }, workflow: { generation: 2 } },
      { ...system, action: 'ticket.created' },
    );
    expect(await repository.openTicketsDueBefore('due-market', '2026-01-01T01:00:00.000Z')).toEqual([
      { ticketId: 't-due-1', nextDueAt: '2026-01-01T00:15:00.000Z', kind: 'complaint' },
    ]);
    await repository.update(await repository.get('t-due-1'), { stage: 'closed' }, { ...system, action: 'ticket.closed' });
    expect(await repository.openTicketsDueBefore('due-market', '2026-01-02T00:00:00.000Z')).toEqual([
      { ticketId: 't-due-2', nextDueAt: '2026-01-01T02:00:00.000Z', kind: 'complaint', workflow: { generation: 2 } },
    ]);
  });

  it('pages a marketplace\'s and an actor\'s audit events in time order, each exactly once', async () => {
    const pageClock = new ManualClock(Date.parse('2026-02-01T00:00:00.000Z'));
    const paged = new TicketRepository({ client: dynamo.client, ticketsTable: dynamo.tableNames.tickets, auditTable: dynamo.tableNames.audit, clock: pageClock });
    const trail = new AuditTrail({ client: dynamo.client, auditTable: dynamo.tableNames.audit, clock: pageClock });
    const actor = { type: 'agent' as const, id: 'agent-7' };
    for (let n = 0; n < 25; n += 1) {
      await paged.create({ ...newTicket(`t-page-${n}`), marketplace: 'paged' }, { ...system, action: 'ticket.created' });
      for (let change = 1; change <= 9; change += 1) {
        const current = await paged.get(`t-page-${n}`);
        await paged.update(current, { escalationTier: change }, { actor, via: 'api', action: 'ticket.escalated' });
      }
      await pageClock.advance(60);
    }
    const collect = async (read: (cursor?: string) => Promise<AuditPage>) => {
      const seen: AuditEvent[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await read(cursor);
        seen.push(...(page.events as AuditEvent[]));
        cursor = page.cursor;
        pages += 1;
      } while (cursor);
      return { seen, pages };
    };

    const all = await collect((cursor) => trail.page({ marketplace: 'paged', from: '2026-02-01T00:00:00.000Z', to: '2026-02-02T00:00:00.000Z' }, cursor, 40));
    expect(all.seen).toHaveLength(250);
    expect(all.pages).toBeGreaterThanOrEqual(7);
    expect(new Set(all.seen.map((event) => `${event.ticketId}#${event.seq}`)).size).toBe(250);
    expect(all.seen.map((event) => event.at)).toEqual([...all.seen.map((event) => event.at)].sort());

    const window = await collect((cursor) => trail.page({ marketplace: 'paged', from: '2026-02-01T00:01:00.000Z', to: '2026-02-01T00:03:00.000Z' }, cursor));
    expect(window.seen.map((event) => event.ticketId)).toEqual([...Array(10).fill('t-page-1'), ...Array(10).fill('t-page-2')]);

    const byActor = await collect((cursor) => trail.page({ marketplace: 'paged', actor, from: '2026-02-01T00:00:00.000Z', to: '2026-02-02T00:00:00.000Z' }, cursor, 50));
    expect(byActor.seen).toHaveLength(225);
  });

  it('detects a tampered, a deleted and a reordered stored event', async () => {
    await repository.create(newTicket('t-tamper'), { ...system, action: 'ticket.created' });
    for (let tier = 1; tier <= 3; tier += 1) {
      await repository.update(await repository.get('t-tamper'), { escalationTier: tier }, { ...system, action: 'ticket.escalated' });
    }
    const auditTable = dynamo.tableNames.audit;
    const key = (seq: number) => ({ pk: 'TICKET#t-tamper', sk: `SEQ#${String(seq).padStart(10, '0')}` });
    const original = await repository.history('t-tamper');

    await dynamo.client.send(new PutCommand({ TableName: auditTable, Item: { ...key(2), ...original[1]!, reason: 'edited' } }));
    expect(verifyChain(await repository.history('t-tamper'))).toMatchObject({ valid: false, brokenAtSeq: 2 });

    await dynamo.client.send(new PutCommand({ TableName: auditTable, Item: { ...key(2), ...original[1]! } }));
    await dynamo.client.send(new PutCommand({ TableName: auditTable, Item: { ...key(3), ...original[3]!, seq: 3 } }));
    await dynamo.client.send(new PutCommand({ TableName: auditTable, Item: { ...key(4), ...original[2]!, seq: 4 } }));
    expect(verifyChain(await repository.history('t-tamper'))).toMatchObject({ valid: false, brokenAtSeq: 3 });

    await dynamo.client.send(new PutCommand({ TableName: auditTable, Item: { ...key(3), ...original[2]! } }));
    await dynamo.client.send(new PutCommand({ TableName: auditTable, Item: { ...key(4), ...original[3]! } }));
    expect(verifyChain(await repository.history('t-tamper'))).toMatchObject({ valid: true });
    await dynamo.client.send(new DeleteCommand({ TableName: auditTable, Key: key(3) }));
    expect(verifyChain(await repository.history('t-tamper'))).toMatchObject({ valid: false, brokenAtSeq: 4 });
  });
});
