import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { parseWith } from './parse';

/**
 * Ids as callers may name them in paths and query strings. Checked before anything is read,
 * so a hostile id gets a 400 naming the parameter and never reaches DynamoDB, which refuses
 * a key over 2 KB (or an empty one) with an error that would otherwise surface as a 500.
 */

/** A marketplace id: letters, digits, `_ . -`, at most 100 (registry ids are a subset of these). */
export const marketplaceIdSchema = z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/, 'a marketplace id (letters, digits, _ . -; at most 100)');

/**
 * A ticket id. Aftercare's are `tkt_` and 24 hex digits; anything of another alphabet or
 * over 128 characters cannot name a ticket. Well-formed ids that name no ticket are left
 * to the lookup, which answers them as it answers a foreign ticket (no probing).
 */
export const ticketIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'a ticket id (tkt_…: letters, digits, _ -; at most 128)');

const ticketPathSchema = z.object({ id: ticketIdSchema });

/** The `{id}` path parameter of a ticket route, or a 400 naming it. */
export function ticketIdParam(event: APIGatewayProxyEventV2): string {
  return parseWith(ticketPathSchema, event.pathParameters ?? {}, 'path').id;
}

/** A message id: the ticket id, `.m` and the message's sequence number (shared/conversation). */
export const messageIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,128}\.m[1-9][0-9]{0,9}$/, 'a message id (<ticket id>.m<number>)');

const messagePathSchema = z.object({ id: ticketIdSchema, messageId: messageIdSchema });

/** The `{id}` and `{messageId}` path parameters of a message route, or a 400 naming the bad one. */
export function messagePathParams(event: APIGatewayProxyEventV2): { ticketId: string; messageId: string } {
  const { id, messageId } = parseWith(messagePathSchema, event.pathParameters ?? {}, 'path');
  return { ticketId: id, messageId };
}

/** A notification id: `<ticket id>:<deadline>:<kind>` (shared/notifications/notification.ts). */
const notificationPathSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,128}:[A-Za-z0-9]{1,40}:[A-Za-z]{1,40}$/, 'a notification id (<ticket id>:<deadline>:<kind>)'),
});

/** The `{id}` path parameter of a notification route, or a 400 naming it. */
export function notificationIdParam(event: APIGatewayProxyEventV2): string {
  return parseWith(notificationPathSchema, event.pathParameters ?? {}, 'path').id;
}
