import { QUEUE_INDEX_ATTRIBUTES, tables } from '@infra/resources';
import { queueAttributes } from '@shared/tickets/queue-keys';
import { planTicketQuery } from '@shared/tickets/queue-plan';
import type { TicketFilters } from '@shared/tickets/queue-query';
import type { Ticket } from '@shared/tickets/ticket';

/**
 * The work-queue indexes hold only the queue line and the attributes the filters read: a
 * filter on an attribute left out of them would match nothing in AWS.
 */
describe('the work-queue index projection', () => {
  const queueIndexes = tables.tickets.indexes.filter((index) => index.name.startsWith('queue-'));

  it('is the same on every queue index', () => {
    expect(queueIndexes.map((index) => index.name)).toHaveLength(7);
    for (const index of queueIndexes) expect(index.projection).toBe(QUEUE_INDEX_ATTRIBUTES);
  });

  it.each<[string, Omit<TicketFilters, 'marketplace' | 'status'>]>([
    ['every filter beside an order', { orderId: 'o-1', customerRef: 'c-1', kind: 'complaint', stage: 'handling', assignee: 'agent-1', tierAtLeast: 1, breached: true, atRisk: true }],
    ['the pool beside an order', { orderId: 'o-1', unassigned: true }],
    ['a reference', { reference: 'r-1', kind: 'complaint' }],
  ])('covers what the filters read: %s', (_name, filters) => {
    const plan = planTicketQuery({ marketplace: 'acme', status: 'open', ...filters }, new Date('2026-12-01T00:00:00Z'));
    const read = Object.values(plan.filter?.names ?? {});
    expect(read.length).toBeGreaterThan(0);
    for (const attribute of read) expect([...QUEUE_INDEX_ATTRIBUTES, 'queueKey']).toContain(attribute);
  });

  it('holds the whole queue line, so a page needs nothing from the table', () => {
    const ticket = {
      id: 't-1',
      kind: 'complaint',
      marketplace: 'acme',
      externalRef: 'r-1',
      subject: 'late parcel',
      stage: 'handling',
      escalationTier: 1,
      assignee: 'agent-1',
      priority: 'high',
      category: 'logistics',
      orderId: 'o-1',
      customerRef: 'c-1',
      deadlines: { initialHandling: { dueAt: '2026-12-02T00:00:00.000Z', warnedAt: '2026-12-01T20:00:00.000Z' }, resolution: { dueAt: '2026-12-03T00:00:00.000Z' } },
      breaches: [],
      updatedAt: '2026-12-01T00:00:00.000Z',
    } as unknown as Ticket;
    expect(queueAttributes(ticket).queueItem).toEqual({
      id: 't-1',
      kind: 'complaint',
      marketplace: 'acme',
      reference: 'r-1',
      subject: 'late parcel',
      stage: 'handling',
      tier: 1,
      assignee: 'agent-1',
      priority: 'high',
      category: 'logistics',
      nextDeadline: { name: 'initialHandling', dueAt: '2026-12-02T00:00:00.000Z', warnedAt: '2026-12-01T20:00:00.000Z' },
      breaches: [],
      updatedAt: '2026-12-01T00:00:00.000Z',
    });
  });
});
