import type { OutboundCallback } from '@shared/callbacks/outbox';
import type { Ticket } from '@shared/tickets/ticket';
import { changesFrom } from '@shared/tickets/ticket-repository';

const callback = (id: string, state: Partial<OutboundCallback> = {}): OutboundCallback => ({
  id,
  body: { deliveryId: id, type: 'ticket.message', occurredAt: '2026-03-02T08:00:00.000Z', marketplace: 'acme', ticketId: 'tkt_1', reference: 'R-1', orderId: 'O-1', stage: 'awaiting_handling' },
  attempts: 0,
  nextAttemptAt: '2026-03-02T08:00:00.000Z',
  ...state,
});
const outbox = (...callbacks: OutboundCallback[]) => ({ callbacks }) as Partial<Ticket>;

describe('the outbox in the audit trail', () => {
  const earlier = [callback('c1', { attempts: 1, nextAttemptAt: undefined, deliveredAt: '2026-03-02T08:01:00.000Z' }), callback('c2', { attempts: 1, nextAttemptAt: undefined, deliveredAt: '2026-03-02T08:01:00.000Z' })];

  it('records a delivery as the one callback whose state changed, without its body', () => {
    const before = outbox(...earlier, callback('c3'));
    const after = outbox(...earlier, callback('c3', { attempts: 1, nextAttemptAt: undefined, deliveredAt: '2026-03-02T08:02:00.000Z' }));
    expect(changesFrom(before, after)).toEqual([
      { field: 'callbacks', from: [{ id: 'c3', attempts: 0 }], to: [{ id: 'c3', attempts: 1, deliveredAt: '2026-03-02T08:02:00.000Z' }] },
    ]);
  });

  it('records a new callback as added, and a failed attempt by its count', () => {
    expect(changesFrom(outbox(...earlier), outbox(...earlier, callback('c3')))).toEqual([{ field: 'callbacks', from: [], to: [{ id: 'c3', attempts: 0 }] }]);
    const failed = callback('c3', { attempts: 1, nextAttemptAt: '2026-03-02T08:03:00.000Z', lastError: 'the marketplace answered 503' });
    expect(changesFrom(outbox(...earlier, callback('c3')), outbox(...earlier, failed))).toEqual([
      { field: 'callbacks', from: [{ id: 'c3', attempts: 0 }], to: [{ id: 'c3', attempts: 1 }] },
    ]);
  });

  it('records the first callbacks of a ticket that had none', () => {
    expect(changesFrom({}, outbox(callback('c1')))).toEqual([{ field: 'callbacks', from: [], to: [{ id: 'c1', attempts: 0 }] }]);
  });
});
