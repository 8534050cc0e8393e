import { parseWith } from '@shared/http/parse';
import { webhookEventSchema } from '@shared/webhooks/events';
import { returnCaseEvents } from '../../support/events';

const requested = returnCaseEvents('fwd')[0]!;
const refunded = returnCaseEvents('fwd')[4]!;
const messageFor = (body: unknown) => {
  try {
    parseWith(webhookEventSchema, body);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('accepted');
};

describe('webhook bodies are forward compatible', () => {
  it('accepts fields it does not know, in the envelope and in data, and leaves them out of the event', () => {
    const grown = {
      ...requested,
      apiVersion: '2026-06',
      trace: { span: 'abc', tags: ['x'] },
      data: { ...requested.data, sellerId: 'S-9', shipping: { method: 'express', insured: true }, items: [{ sku: 'A', qty: 2 }] },
    };
    expect(parseWith(webhookEventSchema, grown)).toEqual(requested);
  });

  it('accepts unknown fields of any JSON type, null included, on every event type', () => {
    for (const event of returnCaseEvents('fwd')) {
      const grown = { ...event, extra: null, data: { ...event.data, extra: [1, { deep: { deeper: 'yes' } }], flag: false, n: 1e308 } };
      expect(parseWith(webhookEventSchema, grown)).toEqual(event);
    }
  });

  it('still refuses a known field of the wrong type, naming it', () => {
    expect(messageFor({ ...requested, data: { ...requested.data, amount: 'lots', sellerId: 'S-9' } })).toBe(
      'invalid body: data.amount: Invalid input: expected number, received string',
    );
    expect(messageFor({ ...refunded, occurredAt: 12 })).toMatch(/^invalid body: occurredAt: /);
  });

  it('still refuses a missing required field, naming it', () => {
    const { orderId: _orderId, ...withoutOrder } = requested.data as Record<string, unknown>;
    expect(messageFor({ ...requested, data: { ...withoutOrder, sellerId: 'S-9' } })).toBe(
      'invalid body: data.orderId: Invalid input: expected string, received undefined',
    );
    const { id: _id, ...withoutId } = refunded;
    expect(messageFor(withoutId)).toBe('invalid body: id: Invalid input: expected string, received undefined');
  });
});
