import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { callerOf } from '@shared/auth/caller';
import { requireMarketplace } from '@shared/auth/route-access';
import type { Clock } from '@shared/clock';
import type { MarketplaceRegistry } from '@shared/config/marketplaces';
import { NotFoundError, ValidationError } from '@shared/errors';
import { parseWith } from '@shared/http/parse';
import { jsonResponse } from '@shared/http/responses';
import { kpiCsv } from '@shared/reports/kpi-csv';
import { kpiReportQuery } from '@shared/reports/kpi-query';
import { buildKpiRows } from '@shared/reports/kpi-report';
import type { KpiStore } from '@shared/reports/kpi-store';
import { TOTALS_DIMENSION } from '@shared/reports/kpi-ticket';
import { localDate, nextPeriodStart, periodStart, periodStartBefore, storedPeriodFor } from '@shared/reports/periods';
import { marketplaceTimeZone } from '@shared/reports/time-zone';

export interface GetKpiReportDeps {
  readonly store: KpiStore;
  readonly registry: () => Promise<MarketplaceRegistry>;
  readonly clock: Clock;
}

/** A report covers at most this many periods (three years of days). */
export const MAX_REPORT_PERIODS = 1100;
/** Periods covered when `from` is left out: the current one and the 11 before it. */
const DEFAULT_PERIODS = 12;

/**
 * `GET /reports/kpis` (manager, auditor, admin): a marketplace's KPIs per period, overall or
 * per group, from the counters the aggregator keeps: one Query per stored period, whatever
 * the number of tickets. Periods are in the marketplace's time zone.
 */
export function createGetKpiReport(deps: GetKpiReportDeps) {
  return async function getKpiReport(event: APIGatewayProxyEventV2) {
    // The route's roles were checked by the HTTP middleware (shared/auth/route-access.ts).
    const caller = callerOf(event);
    const query = parseWith(kpiReportQuery, event.queryStringParameters ?? {}, 'query');
    requireMarketplace(caller, query.marketplace);
    const registry = await deps.registry();
    if (!registry.marketplaces[query.marketplace]) throw new NotFoundError(`no marketplace ${query.marketplace}`);
    const zone = marketplaceTimeZone(registry, query.marketplace);

    const today = periodStart('day', deps.clock.nowMs(), zone);
    const to = query.to === undefined ? nextPeriodStart('day', today) : localDate(query.to, zone, 'to');
    const from = query.from === undefined ? periodStartBefore(query.period, periodStart(query.period, deps.clock.nowMs(), zone), DEFAULT_PERIODS - 1) : localDate(query.from, zone, 'from');
    if (from >= to) throw new ValidationError(`from (${from}) must be before to (${to})`);
    const fromStart = periodStart(query.period, `${from}T00:00:00Z`, 'UTC');
    // The last period covered is the one holding the day before `to`.
    const lastDay = periodStartBefore('day', to, 1);
    const toStart = nextPeriodStart(query.period, periodStart(query.period, `${lastDay}T00:00:00Z`, 'UTC'));
    let periods = 0;
    for (let start = fromStart; start < toStart; start = nextPeriodStart(query.period, start)) {
      if (++periods > MAX_REPORT_PERIODS) throw new ValidationError(`a report covers at most ${MAX_REPORT_PERIODS} periods; shorten the range or use a longer period`);
    }

    const items = await deps.store.counters(query.marketplace, storedPeriodFor(query.period), query.groupBy ?? TOTALS_DIMENSION, fromStart, toStart);
    const rows = buildKpiRows(items, query.period, fromStart, toStart, query.groupBy !== undefined);
    if (query.format === 'csv') {
      return { statusCode: 200, headers: { 'content-type': 'text/csv; charset=utf-8' }, body: kpiCsv(rows) };
    }
    return jsonResponse(200, {
      marketplace: query.marketplace,
      timeZone: zone,
      period: query.period,
      groupBy: query.groupBy ?? null,
      from: fromStart,
      to: toStart,
      rows,
    });
  };
}
