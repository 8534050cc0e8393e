import type { WebhookEvent } from '@shared/webhooks/events';

/** The events of one return case, in the order they happen, for marketplace reference `reference`. */
export function returnCaseEvents(reference: string, prefix = reference): WebhookEvent[] {
  const at = (day: number, hour: number) => new Date(Date.UTC(2026, 2, day, hour)).toISOString();
  return [
    {
      id: `${prefix}-requested`,
      type: 'return.requested',
      occurredAt: at(1, 8),
      data: {
        reference,
        orderId: `order-${reference}`,
        customerRef: `cust-${reference}`,
        requestType: 'return_refund',
        reason: 'does not fit',
        deliveredAt: at(1, 0),
        productCategory: 'apparel',
        amount: 199,
        currency: 'CNY',
      },
    },
    { id: `${prefix}-shipped`, type: 'return.shipped', occurredAt: at(2, 8), data: { reference, trackingNumber: 'SF1234567' } },
    { id: `${prefix}-received`, type: 'return.received', occurredAt: at(4, 9), data: { reference } },
    { id: `${prefix}-inspected`, type: 'return.inspected', occurredAt: at(4, 10), data: { reference, passed: true } },
    { id: `${prefix}-refunded`, type: 'refund.completed', occurredAt: at(5, 10), data: { reference, refundId: `rf-${reference}`, amount: 199, currency: 'CNY' } },
    { id: `${prefix}-survey`, type: 'survey.answered', occurredAt: at(6, 10), data: { reference, csat: 4, nps: 9 } },
  ];
}
