import { z } from 'zod';
import { MAX_STEPS_PER_WRITE } from '@shared/tickets/ticket-repository';

const delivery = {
  deliveryId: z.string().min(1),
  /** 1 for the first attempt; a message for an attempt already made is a duplicate and is dropped. */
  attempt: z.number().int().positive(),
};
const deliverySchema = z.object(delivery);

/**
 * A message holds at most this many of a ticket's callbacks: their attempts are recorded in
 * one write of the ticket, an audit event each.
 */
export const MAX_DELIVERIES_PER_MESSAGE = MAX_STEPS_PER_WRITE;

/**
 * The callbacks-queue message: which callbacks, in which outbox, and which attempt of each this
 * is. A ticket's callbacks due together travel in one message (`deliveries`); a message naming
 * one callback of a ticket (as queued before they were grouped) is still read. A rejected
 * event's callback (`event.rejected`) lives on its inbox item.
 */
export const queuedCallbackSchema = z.union([
  z.object({ ticketId: z.string().min(1), deliveries: z.array(deliverySchema).min(1).max(MAX_DELIVERIES_PER_MESSAGE) }),
  z.object({ ticketId: z.string().min(1), ...delivery }),
  z.object({ marketplace: z.string().min(1), eventId: z.string().min(1), ...delivery }),
]);

export type QueuedCallback = z.infer<typeof queuedCallbackSchema>;
/** One callback of a message, and which attempt of it this is. */
export type QueuedDelivery = z.infer<typeof deliverySchema>;
