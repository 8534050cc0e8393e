import { z } from 'zod';

/** Body of `POST /tickets/{id}/actions`, one shape per action type. */
export const ticketActionSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('respond'),
    message: z.string().trim().min(1).max(10_000),
    /** When given, the action applies only if the ticket is still at this version (else 409). */
    expectedVersion: z.number().int().positive().optional(),
  }),
]);

export type TicketAction = z.infer<typeof ticketActionSchema>;
