import { z } from 'zod';
import { marketplaceIdSchema } from '@shared/http/identifiers';
import { MAX_ESCALATION_TIER } from '@shared/sla/policy';

const flag = z.enum(['true', 'false']).transform((text) => text === 'true');
const instant = z.iso.datetime({ offset: true }).transform((text) => new Date(text).toISOString());
const name = (max: number) => z.string().trim().min(1).max(max);

/**
 * Query string of `GET /tickets`. Unknown parameters are refused (400), so a misspelt filter
 * is never silently ignored.
 */
export const listTicketsQuery = z
  .strictObject({
    marketplace: marketplaceIdSchema.optional().describe('the marketplace; optional when your grant names only one'),
    kind: z.enum(['complaint', 'return']).optional().describe('only complaints or only returns'),
    stage: name(64).optional().describe('only tickets at this stage, e.g. `awaiting_first_response`'),
    assignee: name(128).optional().describe('only tickets assigned to this subject; `me` for your own'),
    unassigned: flag.optional().describe('`true`: only tickets nobody is assigned to (the pools)'),
    tierAtLeast: z.coerce.number().int().min(0).max(MAX_ESCALATION_TIER).optional().describe(`only tickets at this escalation tier or above (0-${MAX_ESCALATION_TIER})`),
    atRisk: flag.optional().describe('`true`: only open tickets with a warning recorded on a running deadline, or a deadline due within the next hour'),
    breached: flag.optional().describe('`true`: only tickets with a breached deadline'),
    dueBefore: instant.optional().describe('only open tickets whose next deadline is due before this time (ISO-8601 with offset)'),
    status: z.enum(['open', 'closed']).default('open').describe('`open` (default; soonest due first) or `closed` (most recently closed first)'),
    reference: name(200).optional().describe("the marketplace's own case reference"),
    orderId: name(200).optional().describe('only tickets of this order'),
    customerRef: name(200).optional().describe("only this customer's tickets (the marketplace's pseudonymous reference)"),
    limit: z.coerce.number().int().min(1).max(100).default(50).describe('tickets per page (1-100, default 50); every page but the last is full'),
    cursor: z.string().min(1).max(2048).optional().describe('the `cursor` of the previous page of the same query'),
  })
  .refine((query) => !(query.unassigned && query.assignee), { message: 'assignee and unassigned=true exclude each other', path: ['unassigned'] })
  .refine((query) => query.status === 'open' || (!query.atRisk && !query.dueBefore), {
    message: 'atRisk and dueBefore apply to open tickets only',
    path: ['status'],
  });

export type ListTicketsQuery = z.output<typeof listTicketsQuery>;

/** The filters of a query once `me` and the marketplace are resolved. */
export type TicketFilters = Omit<ListTicketsQuery, 'marketplace' | 'limit' | 'cursor'> & { readonly marketplace: string };

/** Query string of `GET /tickets/summary`. */
export const ticketSummaryQuery = z.strictObject({
  marketplace: marketplaceIdSchema.optional().describe('the marketplace; optional when your grant names only one'),
});
