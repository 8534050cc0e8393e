import { z } from 'zod';

/** The callbacks-queue message: which callback of which ticket, and which attempt this is. */
export const queuedCallbackSchema = z.object({
  ticketId: z.string().min(1),
  deliveryId: z.string().min(1),
  /** 1 for the first attempt; a message for an attempt already made is a duplicate and is dropped. */
  attempt: z.number().int().positive(),
});

export type QueuedCallback = z.infer<typeof queuedCallbackSchema>;
