import { z } from 'zod';
import { returnActionSchemas } from '@shared/returns/return-actions';

/** Body of `POST /tickets/{id}/actions`, one shape per action type. */
const action = <Type extends string>(type: Type) =>
  z.strictObject({
    type: z.literal(type),
    message: z.string().trim().min(1).max(10_000),
    /** When given, the action applies only if the ticket is still at this version (else 409). */
    expectedVersion: z.number().int().positive().optional(),
  });

/**
 * respond: the first response; handle: initial handling done; resolve: the formal
 * resolution; await_customer: the resolution clock stands still until the customer replies;
 * reply: a public reply that leaves the stage as it is (it meets the next reply owed);
 * escalate: one tier up, with the reason in `message`; assign: to a person or queue; note: an
 * internal note (a message; shared/conversation). The message of respond, handle, resolve,
 * await_customer and reply is the public reply. Return tickets take the return actions
 * (`shared/returns/return-actions.ts`).
 */
export const ticketActionSchema = z.discriminatedUnion('type', [
  action('respond'),
  action('handle'),
  action('resolve'),
  action('await_customer'),
  action('reply'),
  action('escalate'),
  action('note'),
  z.strictObject({
    type: z.literal('assign'),
    assignee: z.string().trim().min(1).max(128).describe('a subject (JWT `sub`), or `me`'),
    message: z.string().trim().max(10_000).optional(),
    expectedVersion: z.number().int().positive().optional(),
  }),
  ...returnActionSchemas,
]);

export type TicketAction = z.infer<typeof ticketActionSchema>;
