import { DateTime } from 'luxon';
import { WEEKDAYS, type BusinessCalendar } from './business-calendar';
import { parseDayHours } from './day-hours';

/**
 * Business-time arithmetic on a {@link BusinessCalendar}: pure functions over instants in
 * epoch milliseconds.
 *
 * Time zones and daylight saving come from Luxon, which reads the IANA database through the
 * platform's `Intl` (nothing to ship or update with the code), turns a wall-clock time on a
 * date into an instant with documented rules for the hour that is skipped or repeated at a
 * DST change, and validates zone names. Luxon was chosen over the Temporal polyfills (large,
 * and tracking a standard still settling in Node) and date-fns-tz (formatting-oriented; its
 * zone conversion leaves DST gaps to the caller). Only the business-time counting is written
 * here, on top of it.
 *
 * Model: each local date has its working intervals (none on a holiday or a closed weekday;
 * the {@link BusinessCalendar.extraWorkdayHours} weekday's on an extra working day), each
 * turned into an absolute interval `[opens, closes)`. Because intervals are absolute, a DST
 * day has its real length: an interval `00:00-24:00` on the day clocks spring forward lasts
 * 23 hours. A wall-clock time the DST change skips moves forward by the gap (Luxon's rule).
 */

/** Days searched for working time before giving up (a calendar with none in ten years is wrong). */
const SEARCH_LIMIT_DAYS = 3700;

interface Interval {
  readonly opens: number;
  readonly closes: number;
}

/** The instant `businessMs` of working time after `fromMs` (a span from closed time starts at the next opening). */
export function addBusinessTime(calendar: BusinessCalendar, fromMs: number, businessMs: number): number {
  let remaining = businessMs;
  for (const interval of intervalsFrom(calendar, fromMs)) {
    // An interval that closes exactly at `fromMs` still counts, so adding 0 at closing time stays there.
    if (interval.closes < fromMs) continue;
    const start = Math.max(interval.opens, fromMs);
    const available = interval.closes - start;
    if (remaining <= available) return start + remaining;
    remaining -= available;
  }
  throw noWorkingTime(calendar, fromMs);
}

/** Working time between two instants, in milliseconds (0 when `toMs` is not after `fromMs`). */
export function businessTimeBetween(calendar: BusinessCalendar, fromMs: number, toMs: number): number {
  let total = 0;
  for (const interval of intervalsFrom(calendar, fromMs, toMs)) {
    if (interval.opens >= toMs) break;
    total += Math.max(0, Math.min(interval.closes, toMs) - Math.max(interval.opens, fromMs));
  }
  return total;
}

/** Whether the desk is working at `atMs` (intervals are open at their opening, closed at their closing). */
export function isOpen(calendar: BusinessCalendar, atMs: number): boolean {
  for (const interval of intervalsOfDay(calendar, dayOf(calendar, atMs))) {
    if (interval.opens <= atMs && atMs < interval.closes) return true;
  }
  return false;
}

/** `atMs` when the desk is working then, else the next opening after it. */
export function nextOpening(calendar: BusinessCalendar, atMs: number): number {
  for (const interval of intervalsFrom(calendar, atMs)) {
    if (interval.closes > atMs) return Math.max(interval.opens, atMs);
  }
  throw noWorkingTime(calendar, atMs);
}

/** The local date (`YYYY-MM-DD`) of an instant in the calendar's time zone. */
export function localDate(calendar: BusinessCalendar, atMs: number): string {
  return dayOf(calendar, atMs).toISODate()!;
}

/**
 * The absolute working intervals from the local day of `fromMs` on, in order; up to the day
 * of `untilMs` when given, else for at most {@link SEARCH_LIMIT_DAYS}.
 */
function* intervalsFrom(calendar: BusinessCalendar, fromMs: number, untilMs?: number): Generator<Interval> {
  let day = dayOf(calendar, fromMs);
  for (let n = 0; n < SEARCH_LIMIT_DAYS; n++) {
    if (untilMs !== undefined && day.toMillis() > untilMs) return;
    yield* intervalsOfDay(calendar, day);
    day = day.plus({ days: 1 }).startOf('day');
  }
}

function dayOf(calendar: BusinessCalendar, atMs: number): DateTime {
  return DateTime.fromMillis(atMs, { zone: calendar.timeZone }).startOf('day');
}

const dayCache = new WeakMap<BusinessCalendar, Map<string, readonly Interval[]>>();
/** Enough days for a long deadline many times over; the cache is emptied past it. */
const DAY_CACHE_SIZE = 2000;

/** The working intervals of one local day, as instants, in order and never overlapping. */
function intervalsOfDay(calendar: BusinessCalendar, day: DateTime): readonly Interval[] {
  const date = day.toISODate()!;
  let days = dayCache.get(calendar);
  if (!days) dayCache.set(calendar, (days = new Map()));
  const cached = days.get(date);
  if (cached) return cached;
  if (days.size >= DAY_CACHE_SIZE) days.clear();
  const intervals = computeIntervalsOfDay(calendar, day, date);
  days.set(date, intervals);
  return intervals;
}

function computeIntervalsOfDay(calendar: BusinessCalendar, day: DateTime, date: string): readonly Interval[] {
  const weekday = calendar.extraWorkdays.includes(date)
    ? calendar.extraWorkdayHours
    : calendar.holidays.includes(date)
      ? undefined
      : WEEKDAYS[day.weekday - 1]!;
  const hours = weekday ? parseDayHours(calendar.week[weekday] ?? []) : [];
  const intervals: Interval[] = [];
  let previousClose = -Infinity;
  for (const { opensMinute, closesMinute } of hours) {
    // Wall-clock times the DST change repeats or skips can bring two intervals together; keep them apart and in order.
    const opens = Math.max(instantAt(day, opensMinute), previousClose);
    const closes = Math.max(instantAt(day, closesMinute), opens);
    if (closes > opens) intervals.push({ opens, closes });
    previousClose = closes;
  }
  return intervals;
}

/** The instant of a wall-clock minute (0 to 1440) on a local day. */
function instantAt(day: DateTime, minuteOfDay: number): number {
  if (minuteOfDay >= 24 * 60) return day.plus({ days: 1 }).startOf('day').toMillis();
  return day.set({ hour: Math.floor(minuteOfDay / 60), minute: minuteOfDay % 60 }).toMillis();
}

function noWorkingTime(calendar: BusinessCalendar, fromMs: number): RangeError {
  return new RangeError(`the calendar in ${calendar.timeZone} has no working time in ${SEARCH_LIMIT_DAYS} days after ${new Date(fromMs).toISOString()}`);
}
