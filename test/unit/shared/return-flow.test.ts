import { callbacksCausedBy } from '@shared/callbacks/outbox';
import { DEFAULT_RETURN_POLICY } from '@shared/returns/policy';
import { applyReturnAction } from '@shared/returns/return-actions';
import { approveReturn, followFacts, openReturnCase } from '@shared/returns/return-flow';
import type { Ticket } from '@shared/tickets/ticket';
import { planReturnStep } from '@shared/workflows/return-steps';

const NOW = '2026-03-02T08:00:00.000Z';
const request = { requestType: 'return_refund' as const, reason: 'too big', deliveredAt: '2026-03-01T00:00:00.000Z', productCategory: 'apparel', amount: 10, currency: 'CNY' };

function returnTicket(overrides: Partial<Ticket> = {}): Ticket {
  return {
    id: 'tkt_r',
    kind: 'return',
    marketplace: 'shop',
    externalRef: 'R-1',
    orderId: 'O-1',
    customerRef: 'c-1',
    priority: 'normal',
    escalationTier: 0,
    breaches: [],
    facts: {},
    returnRequest: request,
    ...openReturnCase(request, DEFAULT_RETURN_POLICY, NOW),
    createdAt: NOW,
    updatedAt: NOW,
    version: 1,
    auditSeq: 1,
    auditHead: '',
    ...overrides,
  };
}

describe('the return flow', () => {
  it('waits for the merchant decision until 48 h after the request', () => {
    expect(planReturnStep(returnTicket(), Date.parse(NOW))).toMatchObject({ done: false, step: 'decision', deadline: 'merchantDecision', phase: 'deadline', secondsLeft: 48 * 3600 });
  });

  it('lets a shipment that arrived before the approval take effect with the approval', () => {
    const early = returnTicket({ facts: { shipment: { trackingNumber: 'SF1', shippedAt: NOW } } });
    expect(followFacts(early, NOW)).toEqual({});
    const approved = approveReturn(early, NOW, 'merchant');
    expect(approved).toMatchObject({ stage: 'awaiting_receipt', returnDecision: { outcome: 'approved', by: 'merchant' } });
    expect(approved.deadlines).toMatchObject({ buyerShipment: { metAt: NOW }, merchantReceipt: { dueAt: '2026-03-12T08:00:00.000Z' } });
  });

  it('settles on a refund at any open stage, and closes at once when the survey answer came first', () => {
    const refunded = returnTicket({ facts: { refund: { refundId: 'rf', amount: 10, currency: 'CNY', completedAt: NOW }, survey: { csat: 5, answeredAt: NOW } } });
    expect(followFacts(refunded, NOW)).toMatchObject({ stage: 'closed', outcome: 'refunded', closedAt: NOW });
  });
});

describe('a merchant action after its limit', () => {
  // The workflow records the breach at the due time; when it lags (a restart, a failed step), a
  // decision made later must not pass for one made in time.
  const LATE = '2026-03-04T09:00:00.000Z'; // 49 h after the request

  it('records a decision made after the 48 h as a breach, with the lateness in the audit reason', () => {
    const { change, reason } = applyReturnAction(returnTicket(), { type: 'approve', message: 'ok' }, LATE);
    expect(change.breaches).toEqual([{ metric: 'merchantDecision', dueAt: '2026-03-04T08:00:00.000Z', recordedAt: LATE, lateBySeconds: 3600 }]);
    expect(change.deadlines?.merchantDecision).toEqual({ dueAt: '2026-03-04T08:00:00.000Z', metAt: LATE, breachedAt: LATE });
    expect(reason).toBe('ok; after its deadline: merchantDecision');
  });

  it('records nothing for a decision in time, or when the workflow recorded the breach already', () => {
    expect(applyReturnAction(returnTicket(), { type: 'reject', message: 'used' }, NOW)).toMatchObject({ reason: 'used' });
    expect(applyReturnAction(returnTicket(), { type: 'reject', message: 'used' }, NOW).change.breaches).toBeUndefined();
    const awaitingReceipt = returnTicket({
      stage: 'awaiting_receipt',
      facts: { shipment: { trackingNumber: 'SF1', shippedAt: NOW } },
      deadlines: { merchantReceipt: { dueAt: NOW, breachedAt: NOW } },
      breaches: [{ metric: 'merchantReceipt', dueAt: NOW, recordedAt: NOW, lateBySeconds: 0 }],
    });
    expect(applyReturnAction(awaitingReceipt, { type: 'confirm_receipt' }, LATE).change.breaches).toBeUndefined();
  });
});

describe('callbacks caused by a change', () => {
  const enabled = (overrides: Partial<Ticket>) => returnTicket({ callbacksEnabled: true, ...overrides });

  it.each`
    change                                                                                              | types
    ${{ ...approveReturn(returnTicket(), NOW, 'merchant') }}                                            | ${['return.approved']}
    ${{ ...approveReturn(returnTicket(), NOW, 'deadline') }}                                            | ${['return.auto_approved']}
    ${{ ...approveReturn(returnTicket({ returnRequest: { ...request, requestType: 'refund_only' } }), NOW, 'merchant') }} | ${['return.approved', 'return.refund_due']}
    ${{ stage: 'closed', outcome: 'abandoned' }}                                                        | ${['return.abandoned', 'return.closed']}
    ${{ stage: 'awaiting_survey', outcome: 'refunded', surveySentAt: NOW }}                             | ${['survey.requested']}
    ${{ escalationTier: 1 }}                                                                            | ${[]}
  `('$types', ({ change, types }) => {
    const before = enabled({});
    const callbacks = callbacksCausedBy(before, { ...before, ...change }, 7, NOW);
    expect(callbacks.map((callback) => callback.body.type)).toEqual(types);
    for (const callback of callbacks) expect(callback).toMatchObject({ id: `tkt_r:7:${callback.body.type}`, attempts: 0, nextAttemptAt: NOW, body: { deliveryId: callback.id, reference: 'R-1' } });
  });

  it('names the rule of a rejection by the policy when the ticket opens', () => {
    const ineligible = { ...request, deliveredAt: '2026-01-01T00:00:00.000Z' };
    const opened = returnTicket({ returnRequest: ineligible, ...openReturnCase(ineligible, DEFAULT_RETURN_POLICY, NOW) });
    expect(callbacksCausedBy(undefined, opened, 1, NOW).map((callback) => callback.body)).toEqual([
      expect.objectContaining({ type: 'return.rejected', stage: 'rejected', decision: expect.objectContaining({ by: 'policy', rule: 'no_reason_window' }) }),
    ]);
  });
});
