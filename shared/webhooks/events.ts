import { z } from 'zod';

/**
 * Marketplace webhook bodies: an envelope whose `type` selects the shape of `data`.
 * The foundation accepts `complaint.created`; the other event types join this union with
 * the workflows that consume them.
 */
const isoTimestamp = z.iso.datetime({ offset: true, message: 'expected an ISO-8601 timestamp' });
const reference = z.string().trim().min(1).max(128);

export const complaintCreatedData = z.object({
  reference,
  orderId: reference,
  customerRef: reference.describe('pseudonymous customer reference; no names, phones or addresses'),
  channel: z.enum(['web', 'app', 'phone', 'email', 'chat', 'other']),
  subject: z.string().trim().min(1).max(200),
  description: z.string().max(10_000),
});

export const webhookEventSchema = z.discriminatedUnion('type', [
  z.object({
    id: z.string().trim().min(1).max(128),
    type: z.literal('complaint.created'),
    occurredAt: isoTimestamp,
    data: complaintCreatedData,
  }),
]);

export type WebhookEvent = z.infer<typeof webhookEventSchema>;

/** The SQS message that tells the consumer an inbox event is ready to apply. */
export const queuedEventSchema = z.object({
  marketplace: z.string().min(1),
  eventId: z.string().min(1),
});

export type QueuedEvent = z.infer<typeof queuedEventSchema>;
