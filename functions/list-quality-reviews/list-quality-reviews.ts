import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { DateTime } from 'luxon';
import { callerOf } from '@shared/auth/caller';
import { requireMarketplace } from '@shared/auth/route-access';
import type { MarketplaceRegistry } from '@shared/config/marketplaces';
import { NotFoundError, ValidationError } from '@shared/errors';
import { parseWith } from '@shared/http/parse';
import { jsonResponse } from '@shared/http/responses';
import { qualityOf } from '@shared/quality/quality-of';
import type { QualityStore } from '@shared/quality/quality-store';
import { listReviewsQuery } from '@shared/quality/review-schemas';
import { nextPeriodStart, periodStart } from '@shared/reports/periods';
import { marketplaceTimeZone } from '@shared/reports/time-zone';

export interface ListQualityReviewsDeps {
  readonly store: QualityStore;
  readonly registry: () => Promise<MarketplaceRegistry>;
}

/**
 * `GET /quality/reviews` (manager, admin): a period's quality draw (its seed, and per agent
 * how many complaints it picked from and which it picked) and the reviews it made, pending
 * or done. A GetItem and a Query.
 */
export function createListQualityReviews(deps: ListQualityReviewsDeps) {
  return async function listQualityReviews(event: APIGatewayProxyEventV2) {
    const caller = callerOf(event);
    const query = parseWith(listReviewsQuery, event.queryStringParameters ?? {}, 'query');
    requireMarketplace(caller, query.marketplace);
    const registry = await deps.registry();
    if (!registry.marketplaces[query.marketplace]) throw new NotFoundError(`no marketplace ${query.marketplace}`);
    const { period } = qualityOf(registry, query.marketplace);
    const zone = marketplaceTimeZone(registry, query.marketplace);

    let start: string | undefined;
    if (query.period !== undefined) {
      if (!DateTime.fromISO(query.period, { zone: 'UTC' }).isValid) throw new ValidationError(`query parameter period is not a date: ${query.period}`);
      start = periodStart(period, `${query.period}T00:00:00Z`, 'UTC');
    }
    const draw = start === undefined ? await deps.store.latestDraw(query.marketplace) : await deps.store.draw(query.marketplace, start, period);
    const reviews = draw ? await deps.store.reviews(query.marketplace, draw.period, draw.start) : [];
    return jsonResponse(200, {
      marketplace: query.marketplace,
      timeZone: zone,
      period: draw ? { kind: draw.period, start: draw.start, end: draw.end } : start ? { kind: period, start, end: nextPeriodStart(period, start) } : null,
      draw: draw ? { seed: draw.seed, share: draw.share, drawnAt: draw.drawnAt, method: 'hmac-sha256', agents: draw.agents } : null,
      reviews: reviews.filter((review) => query.status === undefined || review.status === query.status),
    });
  };
}
