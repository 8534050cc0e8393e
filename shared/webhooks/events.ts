import { z } from 'zod';

/**
 * Marketplace webhook bodies: an envelope `{id, type, occurredAt, data}` whose `type`
 * selects the shape of `data`. Every `data` names the marketplace's case `reference`, which
 * (with the marketplace) identifies the ticket. Customers appear only as pseudonymous
 * references: no names, phones or addresses are asked for.
 *
 * Forward compatible: a field Aftercare does not know, at any level, is accepted and
 * ignored (zod's `z.object` drops it), so a marketplace can add fields in a release without
 * its webhooks failing; the inbox keeps the body as received. A known field of the wrong
 * type, or a required one missing, is still a 400 naming it.
 */
const isoTimestamp = z.iso.datetime({ offset: true, error: 'expected an ISO-8601 timestamp with offset' });
const reference = z.string().trim().min(1).max(128);
const text = (max: number) => z.string().trim().min(1).max(max);

export const COMPLAINT_CATEGORIES = ['order', 'logistics', 'product_quality', 'after_sales', 'payment', 'service_attitude', 'other'] as const;
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const CHANNELS = ['web', 'app', 'phone', 'email', 'chat', 'other'] as const;
export const RETURN_REQUEST_TYPES = ['refund_only', 'return_refund', 'exchange', 'repair'] as const;

export const complaintCreatedData = z.object({
  reference,
  orderId: reference,
  customerRef: reference.describe('pseudonymous customer reference; no names, phones or addresses'),
  channel: z.enum(CHANNELS),
  subject: text(200),
  description: z.string().max(10_000),
  category: z.enum(COMPLAINT_CATEGORIES).optional(),
  priority: z.enum(PRIORITIES).optional(),
});

export const returnRequestedData = z.object({
  reference,
  orderId: reference,
  customerRef: reference,
  requestType: z.enum(RETURN_REQUEST_TYPES),
  reason: text(2_000),
  deliveredAt: isoTimestamp,
  productCategory: text(64),
  amount: z.number().nonnegative().max(1e9),
  currency: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO-4217 currency code such as CNY'),
});

const envelope = <Type extends string, Data extends z.ZodType>(type: Type, data: Data) =>
  z.object({ id: text(128), type: z.literal(type), occurredAt: isoTimestamp, data });

export const webhookEventSchema = z.discriminatedUnion('type', [
  envelope('complaint.created', complaintCreatedData),
  envelope('complaint.customer_replied', z.object({ reference, message: z.string().max(10_000) })),
  envelope('complaint.customer_confirmed', z.object({ reference })),
  envelope('complaint.reopened', z.object({ reference, reason: text(2_000) })),
  envelope(
    'survey.answered',
    z.object({
      reference,
      csat: z.number().int().min(1).max(5),
      nps: z.number().int().min(0).max(10).optional(),
      comment: z.string().max(2_000).optional(),
    }),
  ),
  envelope('return.requested', returnRequestedData),
  envelope('return.shipped', z.object({ reference, trackingNumber: text(64), carrier: text(64).optional() })),
  envelope('return.received', z.object({ reference })),
  envelope(
    'return.inspected',
    z.object({ reference, passed: z.boolean(), reason: text(2_000).optional(), evidenceRef: text(256).optional() }),
  ),
  envelope(
    'refund.completed',
    z.object({ reference, refundId: text(128), amount: z.number().nonnegative().max(1e9), currency: z.string().regex(/^[A-Z]{3}$/) }),
  ),
  envelope('platform.intervention_requested', z.object({ reference, reason: text(2_000) })),
  // The replacement (exchange) or the repaired item (repair) reached the buyer.
  envelope('return.item_delivered', z.object({ reference })),
]);

export type WebhookEvent = z.infer<typeof webhookEventSchema>;
export type WebhookEventType = WebhookEvent['type'];

/** Events that open a ticket; every other event applies to a ticket one of these opened. */
export const OPENING_EVENTS = ['complaint.created', 'return.requested'] as const satisfies readonly WebhookEventType[];

/** The SQS message that tells the consumer an inbox event is ready to apply. */
export const queuedEventSchema = z.object({
  marketplace: z.string().min(1),
  eventId: z.string().min(1),
});

export type QueuedEvent = z.infer<typeof queuedEventSchema>;
