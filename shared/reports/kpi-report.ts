import { BUYER_WINDOWS } from '@shared/returns/return-flow';
import { DEADLINE_NAMES } from '@shared/tickets/ticket';
import { OVERFLOW_BUCKET, percentileOf } from './histogram';
import type { CounterItem } from './kpi-store';
import { nextPeriodStart, periodStart, type ReportPeriod } from './periods';

/** A figure with what it is computed from, so a reader can check it: `value` = numerator ÷ denominator (null when nothing was counted). */
export interface Ratio {
  readonly value: number | null;
  readonly numerator: number;
  readonly denominator: number;
}

/** A percentile from the duration buckets: the bucket bound holding the `rank`-th of `count` durations (seconds). */
export interface Percentile {
  readonly value: number | null;
  readonly rank: number;
  readonly count: number;
}

/** The handbook's resolution-rate target. */
export const RESOLUTION_RATE_TARGET = 0.95;
/** CSAT bands by the share of satisfied answers (4 or 5). */
export type CsatBand = 'excellent' | 'good' | 'needs_improvement';

export interface KpiRow {
  /** First local date of the period, and the first date after it. */
  readonly period: string;
  readonly periodEnd: string;
  /** The group's value (agent id, tier, category, priority, channel); `all` without `groupBy`. */
  readonly group: string;
  readonly volume: {
    readonly opened: number;
    readonly resolved: number;
    readonly closed: number;
    readonly reopened: number;
    readonly escalated: number;
    readonly returnsOpened: number;
    readonly returnsByType: Readonly<Record<string, number>>;
    readonly returnsByOutcome: Readonly<Record<string, number>>;
  };
  readonly firstResponse: {
    readonly count: number;
    readonly onTime: Ratio;
    readonly meanSeconds: Ratio;
    readonly p50Seconds: Percentile;
    readonly p90Seconds: Percentile;
    /** The same waits in working time, for complaints opened with a business calendar (`count` of them). */
    readonly business: { readonly count: number; readonly meanSeconds: Ratio; readonly p50Seconds: Percentile; readonly p90Seconds: Percentile };
  };
  /** Public replies that met a next reply owed after a customer's message (handling or resolution): waits in elapsed seconds. */
  readonly nextReply: {
    readonly count: number;
    readonly onTime: Ratio;
    readonly meanSeconds: Ratio;
    readonly p50Seconds: Percentile;
    readonly p90Seconds: Percentile;
  };
  readonly initialHandlingOnTime: Ratio;
  readonly resolutionOnTime: Ratio;
  readonly resolutionRate: Ratio & { readonly target: number; readonly meetsTarget: boolean | null };
  readonly escalationRate: Ratio;
  readonly reopenRate: Ratio;
  readonly csat: { readonly answers: number; readonly mean: Ratio; readonly satisfied: Ratio; readonly band: CsatBand | null };
  readonly nps: { readonly answers: number; readonly promoters: number; readonly detractors: number; readonly score: Ratio };
  readonly breaches: Readonly<Record<string, number>> & { readonly total: number };
  readonly returns: { readonly approved: number; readonly rejected: number; readonly autoApproved: Ratio; readonly refundsOnTime: Ratio };
  readonly reviews: { readonly count: number; readonly meanScore: Ratio; readonly courtesy: Ratio; readonly accuracy: Ratio; readonly process: Ratio };
}

/** Every deadline a breach can be recorded for (not the buyer's windows, whose end moves the case on) has its count in `breaches`, zeros included. */
const BREACH_METRICS = DEADLINE_NAMES.filter((name) => !BUYER_WINDOWS.includes(name));

const ratio = (numerator: number, denominator: number): Ratio => ({ value: denominator ? numerator / denominator : null, numerator, denominator });

/**
 * Report rows from stored counter items: items summed into the report's periods (days into
 * weeks, months into quarters and years), then every figure computed with its numerator and
 * denominator. Without a group, the items (those of `TOTALS_DIMENSION`) are summed across
 * their groups into one `all` row per period of `[fromStart, toStart)`, zeros included; with
 * one, each period has a row per group that has counters in it. Rows sort by period, then group.
 */
export function buildKpiRows(items: readonly CounterItem[], period: ReportPeriod, fromStart: string, toStart: string, grouped: boolean): KpiRow[] {
  const sums = new Map<string, Map<string, number>>();
  const keyOf = (start: string, group: string) => `${start}\n${group}`;
  for (const item of items) {
    // Stored periods are local dates; read as UTC they are only dates, whatever the zone.
    const start = periodStart(period, `${item.period}T00:00:00Z`, 'UTC');
    const key = keyOf(start, grouped ? item.group : 'all');
    const sum = sums.get(key) ?? new Map<string, number>();
    sums.set(key, sum);
    for (const [name, value] of Object.entries(item.counters)) sum.set(name, (sum.get(name) ?? 0) + value);
  }
  if (!grouped) {
    for (let start = fromStart; start < toStart; start = nextPeriodStart(period, start)) {
      if (!sums.has(keyOf(start, 'all'))) sums.set(keyOf(start, 'all'), new Map());
    }
  }
  return [...sums]
    .filter(([, counters]) => !grouped || [...counters.values()].some((value) => value !== 0))
    .map(([key, counters]) => {
      const [start, group] = key.split('\n') as [string, string];
      return rowOf(start, nextPeriodStart(period, start), group, counters);
    })
    .sort((a, b) => a.period.localeCompare(b.period) || a.group.localeCompare(b.group));
}

function rowOf(period: string, periodEnd: string, group: string, counters: ReadonlyMap<string, number>): KpiRow {
  const n = (name: string) => counters.get(name) ?? 0;
  const prefixed = (prefix: string) =>
    Object.fromEntries([...counters].filter(([name, value]) => name.startsWith(prefix) && value !== 0).map(([name, value]) => [name.slice(prefix.length), value]));
  const bucketsOf = (prefix: string) => {
    const buckets = new Map<number, number>();
    for (let index = 0; index <= OVERFLOW_BUCKET; index += 1) if (n(`${prefix}${index}`)) buckets.set(index, n(`${prefix}${index}`));
    return buckets;
  };
  const percentileIn = (buckets: ReadonlyMap<number, number>) => (p: number): Percentile => {
    const found = percentileOf(buckets, p);
    return found ? { value: found.seconds, rank: found.rank, count: found.count } : { value: null, rank: 0, count: 0 };
  };
  const percentile = percentileIn(bucketsOf('frBucket'));
  const businessPercentile = percentileIn(bucketsOf('frBusinessBucket'));
  const nextReplyPercentile = percentileIn(bucketsOf('nrBucket'));
  const opened = n('opened');
  const resolutionRate = ratio(n('resolvedNotReopened'), opened);
  const satisfied = ratio(n('csatSatisfied'), n('csatAnswers'));
  const reviewTotal = n('reviewCourtesy') + n('reviewAccuracy') + n('reviewProcess');
  return {
    period,
    periodEnd,
    group,
    volume: {
      opened,
      resolved: n('resolved'),
      closed: n('closed'),
      reopened: n('reopenings'),
      escalated: n('escalations'),
      returnsOpened: n('returnsOpened'),
      returnsByType: prefixed('returnsOpened_'),
      returnsByOutcome: prefixed('outcome_'),
    },
    firstResponse: {
      count: n('frCount'),
      onTime: ratio(n('frOnTime'), n('frCount')),
      meanSeconds: ratio(n('frTotalMs') / 1000, n('frCount')),
      p50Seconds: percentile(0.5),
      p90Seconds: percentile(0.9),
      business: {
        count: n('frBusinessCount'),
        meanSeconds: ratio(n('frBusinessTotalMs') / 1000, n('frBusinessCount')),
        p50Seconds: businessPercentile(0.5),
        p90Seconds: businessPercentile(0.9),
      },
    },
    nextReply: {
      count: n('nrCount'),
      onTime: ratio(n('nrOnTime'), n('nrCount')),
      meanSeconds: ratio(n('nrTotalSeconds'), n('nrCount')),
      p50Seconds: nextReplyPercentile(0.5),
      p90Seconds: nextReplyPercentile(0.9),
    },
    initialHandlingOnTime: ratio(n('handledOnTime'), opened),
    resolutionOnTime: ratio(n('resolvedOnTime'), opened),
    resolutionRate: {
      ...resolutionRate,
      target: RESOLUTION_RATE_TARGET,
      meetsTarget: resolutionRate.value === null ? null : resolutionRate.value >= RESOLUTION_RATE_TARGET,
    },
    escalationRate: ratio(n('escalated'), opened),
    reopenRate: ratio(n('reopened'), opened),
    csat: { answers: n('csatAnswers'), mean: ratio(n('csatTotal'), n('csatAnswers')), satisfied, band: csatBand(satisfied.value) },
    nps: {
      answers: n('npsAnswers'),
      promoters: n('npsPromoters'),
      detractors: n('npsDetractors'),
      score: ratio(100 * (n('npsPromoters') - n('npsDetractors')), n('npsAnswers')),
    },
    breaches: { total: n('breaches'), ...Object.fromEntries(BREACH_METRICS.map((metric) => [metric, n(`breach_${metric}`)])) },
    returns: {
      approved: n('returnsApproved'),
      rejected: n('returnsRejected'),
      autoApproved: ratio(n('autoApproved'), n('merchantDecisions')),
      refundsOnTime: ratio(n('refundsOnTime'), n('refundsPaid')),
    },
    reviews: {
      count: n('reviews'),
      meanScore: ratio(reviewTotal, 3 * n('reviews')),
      courtesy: ratio(n('reviewCourtesy'), n('reviews')),
      accuracy: ratio(n('reviewAccuracy'), n('reviews')),
      process: ratio(n('reviewProcess'), n('reviews')),
    },
  };
}

/** The handbook's bands: ≥ 80 % satisfied excellent, 70–80 % good, below 70 % needs improvement. */
export function csatBand(share: number | null): CsatBand | null {
  if (share === null) return null;
  return share >= 0.8 ? 'excellent' : share >= 0.7 ? 'good' : 'needs_improvement';
}
