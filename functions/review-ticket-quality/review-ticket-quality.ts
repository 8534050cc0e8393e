import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { callerOf, canSeeMarketplace, type Caller } from '@shared/auth/caller';
import type { Clock } from '@shared/clock';
import { ConflictError, ForbiddenError, NotFoundError } from '@shared/errors';
import { parseJson, parseWith, rawBody } from '@shared/http/parse';
import { jsonResponse } from '@shared/http/responses';
import type { QualityReview, QualityStore } from '@shared/quality/quality-store';
import { reviewIdOf, reviewIdParam, type ReviewId } from '@shared/quality/review-id';
import { reviewBody } from '@shared/quality/review-schemas';
import { retryOnConflict } from '@shared/tickets/retry-on-conflict';
import { LinkedWriteConflictError, type TicketRepository } from '@shared/tickets/ticket-repository';

export interface ReviewTicketQualityDeps {
  readonly store: QualityStore;
  readonly tickets: TicketRepository;
  readonly clock: Clock;
}

/**
 * `POST /quality/reviews/{id}` (manager, admin): scores a drawn complaint on courtesy,
 * accuracy and process (1–5) with a comment. The scores go on the ticket with their audit
 * event (`quality.reviewed`), and the review is marked done in the same transaction; from the
 * audit stream they reach the agent's KPI rows (`reviews`). A review is done once: a second
 * one is a 409 showing the first.
 */
export function createReviewTicketQuality(deps: ReviewTicketQualityDeps) {
  return async function reviewTicketQuality(event: APIGatewayProxyEventV2) {
    const caller = callerOf(event);
    const id = reviewIdParam(event.pathParameters);
    const body = parseWith(reviewBody, parseJson(rawBody(event)));
    const review = await reviewForCaller(deps, caller, id);
    if (review.status === 'done') throw new ConflictError('this complaint was reviewed already', { review });

    const reviewedAt = deps.clock.now().toISOString();
    const scores = { courtesy: body.courtesy, accuracy: body.accuracy, process: body.process };
    const done = { scores, comment: body.comment, reviewedBy: caller.subject, reviewedAt };
    try {
      await retryOnConflict(async () => {
        const ticket = await deps.tickets.get(id.ticketId);
        return deps.tickets.update(
          ticket,
          { qualityReview: { reviewId: review.id, ...scores, comment: body.comment, by: caller.subject, at: reviewedAt } },
          { actor: { type: caller.role, id: caller.subject }, via: 'api', action: 'quality.reviewed', reason: `quality review ${review.id}` },
          [deps.store.completeReviewWrite(id, done)],
        );
      });
    } catch (error) {
      if (error instanceof LinkedWriteConflictError) throw new ConflictError('this complaint was reviewed meanwhile', { review: await deps.store.review(id) });
      throw error;
    }
    return jsonResponse(200, { review: { ...review, status: 'done', ...done } satisfies QualityReview });
  };
}

async function reviewForCaller(deps: ReviewTicketQualityDeps, caller: Caller, id: ReviewId): Promise<QualityReview> {
  // The id names its marketplace, so a review outside the grant is refused before anything is read.
  if (!canSeeMarketplace(caller, id.marketplace)) throw new ForbiddenError(`marketplace ${id.marketplace} is outside your grant`);
  const review = await deps.store.review(id);
  if (!review) throw new NotFoundError(`no review ${reviewIdOf(id)}`);
  return review;
}
