import { z } from 'zod';

const delivery = {
  deliveryId: z.string().min(1),
  /** 1 for the first attempt; a message for an attempt already made is a duplicate and is dropped. */
  attempt: z.number().int().positive(),
};

/**
 * The callbacks-queue message: which callback, in which outbox, and which attempt this is.
 * The outbox is a ticket's, or a rejected event's inbox item (`event.rejected`).
 */
export const queuedCallbackSchema = z.union([
  z.object({ ticketId: z.string().min(1), ...delivery }),
  z.object({ marketplace: z.string().min(1), eventId: z.string().min(1), ...delivery }),
]);

export type QueuedCallback = z.infer<typeof queuedCallbackSchema>;
