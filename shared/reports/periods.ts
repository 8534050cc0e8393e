import { DateTime } from 'luxon';
import { ValidationError } from '@shared/errors';

/** The periods a report is asked for. */
export const REPORT_PERIODS = ['day', 'week', 'month', 'quarter', 'year'] as const;
export type ReportPeriod = (typeof REPORT_PERIODS)[number];

/**
 * The periods counters are kept for. Weeks are sums of their days, quarters and years sums of
 * their months, so an audit event updates two periods, not five: each counter item it touches
 * is a transactional write, and stored weeks would add half again to the day's and month's.
 * A weekly report reads 7 items per group and week, a yearly one 12 per group.
 */
export const STORED_PERIODS = ['day', 'month'] as const;
export type StoredPeriod = (typeof STORED_PERIODS)[number];

/** The stored period a report period is summed from. */
export function storedPeriodFor(period: ReportPeriod): StoredPeriod {
  if (period === 'week') return 'day';
  return period === 'quarter' || period === 'year' ? 'month' : period;
}

/** The zone reports fall back to when a marketplace names none. */
export const DEFAULT_TIME_ZONE = 'UTC';

/** Whether `zone` is an IANA time zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  return DateTime.now().setZone(zone).isValid;
}

/**
 * The local date (`YYYY-MM-DD`) on which the period holding `instant` starts, in `zone`.
 * Weeks start on Monday (ISO weeks); quarters in January, April, July and October.
 */
export function periodStart(period: ReportPeriod, instant: string | number, zone: string): string {
  const at = typeof instant === 'number' ? DateTime.fromMillis(instant, { zone }) : DateTime.fromISO(instant, { zone });
  if (!at.isValid) throw new ValidationError(`not a time: ${String(instant)}`);
  const unit = period === 'week' ? 'week' : period;
  // luxon's startOf('week') is the ISO week: Monday.
  return at.startOf(unit).toISODate()!;
}

/** The start of the period after the one starting on `start` (a local date). */
export function nextPeriodStart(period: ReportPeriod, start: string): string {
  const unit = period === 'day' ? { days: 1 } : period === 'week' ? { weeks: 1 } : period === 'month' ? { months: 1 } : period === 'quarter' ? { quarters: 1 } : { years: 1 };
  return DateTime.fromISO(start, { zone: 'UTC' }).plus(unit).toISODate()!;
}

/** The start of the period `count` periods before the one starting on `start`. */
export function periodStartBefore(period: ReportPeriod, start: string, count: number): string {
  const unit = period === 'day' ? { days: count } : period === 'week' ? { weeks: count } : period === 'month' ? { months: count } : period === 'quarter' ? { quarters: count } : { years: count };
  return DateTime.fromISO(start, { zone: 'UTC' }).minus(unit).toISODate()!;
}

/**
 * A report bound (`from`, `to`) as a local date in `zone`: a date is taken as it is, a time
 * with an offset becomes the local date it falls on. Anything else is a 400.
 */
export function localDate(bound: string, zone: string, name: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(bound)) {
    const date = DateTime.fromISO(bound, { zone });
    if (!date.isValid) throw new ValidationError(`query parameter ${name} is not a date: ${bound}`);
    return bound;
  }
  const at = DateTime.fromISO(bound, { setZone: true });
  if (!at.isValid || !/(Z|[+-]\d{2}:?\d{2})$/.test(bound)) {
    throw new ValidationError(`query parameter ${name} must be a date (YYYY-MM-DD) or a time with an offset`);
  }
  return at.setZone(zone).toISODate()!;
}
