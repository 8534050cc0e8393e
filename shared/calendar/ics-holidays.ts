import ICAL from 'ical.js';
import { DateTime } from 'luxon';

/** Occurrences of one recurring event read at most (a daily rule over the horizon stays well below). */
const MAX_OCCURRENCES = 5000;

/**
 * The holidays in an iCalendar (RFC 5545) text: every date covered by an all-day event (a
 * `DATE` start; `DTEND` is exclusive, so a three-day holiday is `20261001`–`20261004`),
 * recurring ones expanded up to `untilDate` inclusive (`YYYY-MM-DD`), with their exceptions
 * and `EXDATE`s. Timed events and cancelled ones are not holidays. Parsing is ical.js's;
 * throws on text that is not iCalendar.
 */
export function holidaysFromIcs(text: string, untilDate: string): string[] {
  const root = new ICAL.Component(ICAL.parse(text));
  const events = root.getAllSubcomponents('vevent').map((component) => new ICAL.Event(component));
  const masters = new Map<string, InstanceType<typeof ICAL.Event>>();
  for (const event of events) if (!event.isRecurrenceException()) masters.set(event.uid, event);
  for (const event of events) if (event.isRecurrenceException()) masters.get(event.uid)?.relateException(event);

  const dates = new Set<string>();
  const until = ICAL.Time.fromDateString(untilDate);
  for (const event of masters.values()) {
    if (!event.startDate?.isDate) continue;
    if (!event.isRecurring()) {
      if (!isCancelled(event)) addDays(dates, event.startDate, event.endDate, untilDate);
      continue;
    }
    const occurrences = event.iterator();
    for (let n = 0, next = occurrences.next(); next && next.compare(until) <= 0 && n < MAX_OCCURRENCES; n++, next = occurrences.next()) {
      const details = event.getOccurrenceDetails(next);
      if (!details.startDate.isDate || isCancelled(details.item)) continue;
      addDays(dates, details.startDate, details.endDate, untilDate);
    }
  }
  return [...dates].sort();
}

function isCancelled(event: InstanceType<typeof ICAL.Event>): boolean {
  return String(event.component.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED';
}

type IcalTime = InstanceType<typeof ICAL.Time>;

/** Adds each date from `start` up to (not including) `end`; at least the start date. */
function addDays(dates: Set<string>, start: IcalTime, end: IcalTime | undefined, untilDate: string): void {
  const first = DateTime.fromObject({ year: start.year, month: start.month, day: start.day }, { zone: 'utc' });
  const last = end ? DateTime.fromObject({ year: end.year, month: end.month, day: end.day }, { zone: 'utc' }) : first;
  const days = Math.max(1, Math.round(last.diff(first, 'days').days));
  for (let i = 0; i < days; i++) {
    const date = first.plus({ days: i }).toISODate()!;
    if (date > untilDate) break;
    dates.add(date);
  }
}
