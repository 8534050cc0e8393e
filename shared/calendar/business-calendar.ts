/**
 * A marketplace's business calendar: when its service desk works. Deadlines counted in
 * business time stop at closing time and go on at the next opening (see business-time.ts).
 *
 * Plain data, so the calendar in force when a ticket opens is recorded on the ticket (like its
 * SLA policy) and later changes to the configuration do not move that ticket's deadlines.
 */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface BusinessCalendar {
  /** IANA time zone the hours and dates are read in (`Asia/Shanghai`, `Europe/Berlin`). */
  readonly timeZone: string;
  /**
   * Working hours per weekday, as `HH:MM-HH:MM` intervals in the time zone (several a day:
   * `09:00-12:00`, `13:30-18:00`; `24:00` ends a day). A weekday not named is closed.
   */
  readonly week: Readonly<Partial<Record<Weekday, readonly string[]>>>;
  /** Dates (`YYYY-MM-DD`, in the time zone) on which the desk is closed all day. */
  readonly holidays: readonly string[];
  /**
   * Dates on which the desk works although the weekday is closed or the date is a holiday
   * (China's adjusted working days, 调休: a Saturday made a working day), with the hours of
   * the weekday {@link extraWorkdayHours} names.
   */
  readonly extraWorkdays: readonly string[];
  readonly extraWorkdayHours: Weekday;
}

/**
 * The calendar as recorded on a ticket received at `fromDate` (`YYYY-MM-DD`): the same, with
 * only the holidays and extra working days from that date on, so a ticket does not carry
 * years of past dates.
 */
export function calendarFrom(calendar: BusinessCalendar, fromDate: string): BusinessCalendar {
  return {
    ...calendar,
    holidays: calendar.holidays.filter((date) => date >= fromDate),
    extraWorkdays: calendar.extraWorkdays.filter((date) => date >= fromDate),
  };
}
