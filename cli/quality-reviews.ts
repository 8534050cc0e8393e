import { z } from 'zod';
import type { AftercareApiClient } from './api-client';

const reviewsAnswer = z.object({
  marketplace: z.string(),
  timeZone: z.string(),
  period: z.object({ kind: z.string(), start: z.string(), end: z.string() }).nullable(),
  draw: z
    .object({ seed: z.string(), share: z.number(), drawnAt: z.string(), agents: z.array(z.object({ agent: z.string(), closed: z.number(), drawn: z.array(z.string()) })) })
    .nullable(),
  reviews: z.array(
    z.object({
      id: z.string(),
      agent: z.string(),
      status: z.string(),
      scores: z.object({ courtesy: z.number(), accuracy: z.number(), process: z.number() }).optional(),
      reviewedBy: z.string().optional(),
    }),
  ),
});

export interface QualityReviewsOptions {
  readonly marketplace: string;
  readonly period?: string;
  readonly status?: string;
}

/** `aftercare quality reviews`: a period's draw (seed, per agent closed and drawn) and its reviews, as text. */
export async function qualityReviews(api: AftercareApiClient, options: QualityReviewsOptions): Promise<string[]> {
  const query = new URLSearchParams({ marketplace: options.marketplace });
  if (options.period) query.set('period', options.period);
  if (options.status) query.set('status', options.status);
  const answer = await api.get(`/quality/reviews?${query.toString()}`, reviewsAnswer);
  if (!answer.period || !answer.draw) return [`no quality draw for ${answer.marketplace}${answer.period ? ` in the ${answer.period.kind} from ${answer.period.start}` : ''}`];
  const lines = [
    `Quality draw of ${answer.marketplace}, ${answer.period.kind} ${answer.period.start} to ${answer.period.end} (exclusive), ${answer.timeZone}: ${100 * answer.draw.share} %, seed ${answer.draw.seed}`,
    ...answer.draw.agents.map((agent) => `  ${agent.agent}: ${agent.drawn.length} of ${agent.closed} closed`),
  ];
  const rows = answer.reviews.map((review) => [
    review.id,
    review.agent,
    review.status,
    review.scores ? `${review.scores.courtesy}/${review.scores.accuracy}/${review.scores.process}` : '-',
    review.reviewedBy ?? '-',
  ]);
  const header = ['review', 'agent', 'status', 'courtesy/accuracy/process', 'reviewed by'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const format = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd();
  return [...lines, format(header), ...rows.map(format)];
}
