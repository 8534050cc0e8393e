import { z } from 'zod';
import { parseWith } from '@shared/http/parse';
import { DRAW_PERIODS, type DrawPeriod } from './quality-config';

/** What a review id names: the draw (marketplace, period, its first date) and the ticket drawn. */
export interface ReviewId {
  readonly marketplace: string;
  readonly period: DrawPeriod;
  readonly start: string;
  readonly ticketId: string;
}

const PATTERN = new RegExp(`^([a-z0-9][a-z0-9-]{0,62})\\.(${DRAW_PERIODS.join('|')})\\.(\\d{4}-\\d{2}-\\d{2})\\.([A-Za-z0-9_-]{1,128})$`);

/** `acme.week.2026-03-02.tkt_…`: readable, and enough to find the review with one GetItem. */
export function reviewIdOf(id: ReviewId): string {
  return `${id.marketplace}.${id.period}.${id.start}.${id.ticketId}`;
}

const reviewIdSchema = z.object({
  id: z.string().max(220).regex(PATTERN, 'a review id (<marketplace>.<day|week|month>.<YYYY-MM-DD>.<ticket id>)'),
});

/** The `{id}` path parameter of a review route, or a 400 naming it. */
export function reviewIdParam(pathParameters: Record<string, string | undefined> | undefined): ReviewId {
  const { id } = parseWith(reviewIdSchema, pathParameters ?? {}, 'path');
  const [, marketplace, period, start, ticketId] = PATTERN.exec(id)!;
  return { marketplace: marketplace!, period: period as DrawPeriod, start: start!, ticketId: ticketId! };
}
