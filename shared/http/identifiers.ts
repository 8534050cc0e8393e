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
