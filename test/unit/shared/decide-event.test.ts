import fc from 'fast-check';
import { DEFAULT_RETURN_POLICY } from '@shared/returns/policy';
import { DEFAULT_SLA_POLICY, resolveSlaPolicy } from '@shared/sla/policy';
import { decideEvent, type EventDecision } from '@shared/tickets/decide-event';
import type { Ticket } from '@shared/tickets/ticket';
import type { WebhookEvent } from '@shared/webhooks/events';

const context = {
  marketplace: 'acme',
  ticketId: 'tkt_1',
  receivedAt: '2026-03-01T08:00:00.000Z',
  slaPolicy: (priority: string) => resolveSlaPolicy({ urgent: { firstResponseSeconds: 300 } }, priority as 'normal'),
  recentComplaints: 0,
  returnPolicy: DEFAULT_RETURN_POLICY,
};

const returnStream: WebhookEvent[] = [
  {
    id: 'e1',
    type: 'return.requested',
    occurredAt: '2026-03-01T08:00:00Z',
    data: {
      reference: 'R-1',
      orderId: 'O-1',
      customerRef: 'c-1',
      requestType: 'return_refund',
      reason: 'too small',
      deliveredAt: '2026-02-27T10:00:00Z',
      productCategory: 'apparel',
      amount: 199,
      currency: 'CNY',
    },
  },
  { id: 'e2', type: 'return.shipped', occurredAt: '2026-03-02T08:00:00+08:00', data: { reference: 'R-1', trackingNumber: 'SF123' } },
  { id: 'e3', type: 'return.received', occurredAt: '2026-03-04T09:00:00Z', data: { reference: 'R-1' } },
  { id: 'e4', type: 'return.inspected', occurredAt: '2026-03-04T10:00:00Z', data: { reference: 'R-1', passed: true } },
  { id: 'e5', type: 'refund.completed', occurredAt: '2026-03-05T10:00:00Z', data: { reference: 'R-1', refundId: 'rf-1', amount: 199, currency: 'CNY' } },
  { id: 'e6', type: 'survey.answered', occurredAt: '2026-03-06T10:00:00Z', data: { reference: 'R-1', csat: 5 } },
];

/**
 * Applies events the way the consumer does — apply, hold, release held events after each
 * applied one — against an in-memory ticket, and returns the final ticket and what was rejected.
 */
function run(events: readonly WebhookEvent[]): { ticket: Ticket | undefined; rejected: string[] } {
  let ticket: Ticket | undefined;
  const held: WebhookEvent[] = [];
  const rejected: string[] = [];
  const apply = (event: WebhookEvent): boolean => {
    const decision: EventDecision = decideEvent(event, ticket, context);
    if (decision.kind === 'open') ticket = { ...decision.ticket, createdAt: '', updatedAt: '', version: 1, auditSeq: 1, auditHead: '' };
    else if (decision.kind === 'update') ticket = { ...ticket!, ...decision.change };
    else if (decision.kind === 'hold') held.push(event);
    else rejected.push(event.id);
    return decision.kind === 'open' || decision.kind === 'update';
  };
  for (const event of events) {
    if (!apply(event)) continue;
    let released = true;
    while (released) {
      released = false;
      for (const waiting of held.splice(0)) released = apply(waiting) || released;
    }
  }
  return { ticket, rejected };
}

describe('decideEvent', () => {
  it('opens a complaint with its first-response deadline 15 minutes after it was received', () => {
    const decision = decideEvent(
      {
        id: 'c1',
        type: 'complaint.created',
        occurredAt: '2026-03-01T07:59:00Z',
        data: { reference: 'C-1', orderId: 'O-1', customerRef: 'c-1', channel: 'app', subject: 'Broken', description: '' },
      },
      undefined,
      context,
    );
    expect(decision).toMatchObject({
      kind: 'open',
      ticket: { kind: 'complaint', priority: 'normal', stage: 'awaiting_first_response', deadlines: { firstResponse: { dueAt: '2026-03-01T08:15:00.000Z' } } },
    });
  });

  it('takes the deadlines from the marketplace policy for the priority, and records the policy', () => {
    const decision = decideEvent(
      {
        id: 'c2',
        type: 'complaint.created',
        occurredAt: '2026-03-01T07:59:00Z',
        data: { reference: 'C-2', orderId: 'O-2', customerRef: 'c-2', channel: 'app', subject: 'Broken', description: '', priority: 'urgent' },
      },
      undefined,
      context,
    );
    expect(decision).toMatchObject({
      kind: 'open',
      ticket: {
        priority: 'urgent',
        deadlines: { firstResponse: { dueAt: '2026-03-01T08:05:00.000Z' }, initialHandling: { dueAt: '2026-03-02T08:00:00.000Z' } },
        slaPolicy: { ...DEFAULT_SLA_POLICY, firstResponseSeconds: 300 },
      },
    });
  });

  it('holds an event that arrives before its ticket is opened', () => {
    expect(decideEvent(returnStream[2]!, undefined, context)).toEqual({ kind: 'hold', reason: 'waiting for the event that opens case R-1' });
  });

  it('holds a receipt that arrives before the shipment', () => {
    const { ticket } = run(returnStream.slice(0, 1));
    expect(decideEvent(returnStream[2]!, ticket, context)).toEqual({ kind: 'hold', reason: 'waiting for return.shipped' });
  });

  it('rejects events that can never apply, with the reason', () => {
    const { ticket } = run(returnStream.slice(0, 1));
    expect(decideEvent(returnStream[0]!, ticket, context)).toMatchObject({ kind: 'reject', reason: expect.stringContaining('already open') });
    expect(
      decideEvent({ id: 'x', type: 'complaint.customer_replied', occurredAt: '2026-03-02T00:00:00Z', data: { reference: 'R-1', message: 'hi' } }, ticket, context),
    ).toMatchObject({ kind: 'reject', reason: expect.stringContaining('applies to complaint tickets') });
  });

  it('names the workflow step each update completes', () => {
    const { ticket } = run(returnStream.slice(0, 1));
    expect(decideEvent(returnStream[1]!, ticket, context)).toMatchObject({ kind: 'update', completesStep: 'buyerShipment', action: 'return.shipped' });
  });

  it('records facts in UTC whatever offset the marketplace sent', () => {
    const { ticket } = run(returnStream.slice(0, 2));
    expect(ticket?.facts.shipment?.shippedAt).toBe('2026-03-02T00:00:00.000Z');
  });

  it('ends in the same ticket whatever order the stream arrives in', () => {
    const ordered = run(returnStream);
    expect(ordered.rejected).toEqual([]);
    expect(ordered.ticket?.facts).toMatchObject({ receivedAt: '2026-03-04T09:00:00.000Z', refund: { refundId: 'rf-1' }, survey: { csat: 5 } });
    fc.assert(
      fc.property(fc.shuffledSubarray(returnStream, { minLength: returnStream.length }), (shuffled) => {
        expect(run(shuffled)).toEqual(ordered);
      }),
      { numRuns: 300 },
    );
  });
});
