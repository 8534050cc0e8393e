import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';
import { WEEKDAYS, type BusinessCalendar } from './business-calendar';
import { checkDayHours } from './day-hours';

const weekday = z.enum(WEEKDAYS);

const dayHours = z.array(z.string()).superRefine((texts, context) => {
  const checked = checkDayHours(texts);
  if (typeof checked === 'string') context.addIssue({ code: 'custom', message: checked });
});

/** A string schema that names the offending value in its message. */
const checked = (isValid: (text: string) => boolean, problem: string) =>
  z.string().superRefine((text, context) => {
    if (!isValid(text)) context.addIssue({ code: 'custom', message: `"${text}" ${problem}` });
  });

const isoDate = checked((text) => /^\d{4}-\d{2}-\d{2}$/.test(text) && DateTime.fromISO(text).isValid, 'is not a date (YYYY-MM-DD)');

/**
 * A marketplace's `calendar` in the configuration. `ics` (a file path or an http(s) URL of
 * an iCalendar file) adds its all-day events to `holidays`; it is read once, when the
 * configuration loads (see calendar-files.ts).
 */
export const calendarConfigSchema = z
  .strictObject({
    timeZone: checked((zone) => IANAZone.isValidZone(zone), 'is not an IANA time zone (such as Asia/Shanghai)'),
    week: z.strictObject(Object.fromEntries(WEEKDAYS.map((day) => [day, dayHours.optional()])) as Record<(typeof WEEKDAYS)[number], z.ZodOptional<typeof dayHours>>),
    holidays: z.array(isoDate).default([]),
    extraWorkdays: z.array(isoDate).default([]),
    extraWorkdayHours: weekday.default('mon'),
    ics: z.string().min(1).optional(),
  })
  .superRefine((calendar, context) => {
    const worked = (day: (typeof WEEKDAYS)[number]) => (calendar.week[day]?.length ?? 0) > 0;
    if (!WEEKDAYS.some(worked)) {
      context.addIssue({ code: 'custom', path: ['week'], message: 'no weekday has working hours' });
    }
    if (calendar.extraWorkdays.length > 0 && !worked(calendar.extraWorkdayHours)) {
      context.addIssue({
        code: 'custom',
        path: ['extraWorkdayHours'],
        message: `extra working days take the hours of ${calendar.extraWorkdayHours}, which has none`,
      });
    }
    for (const date of calendar.extraWorkdays.filter((day) => calendar.holidays.includes(day))) {
      context.addIssue({ code: 'custom', path: ['extraWorkdays'], message: `${date} is both a holiday and an extra working day` });
    }
  });

export type CalendarConfig = z.infer<typeof calendarConfigSchema>;

/** The calendar a configuration describes, once its `ics` holidays (if any) are merged in. */
export function businessCalendarOf(config: CalendarConfig, icsHolidays: readonly string[] = []): BusinessCalendar {
  const holidays = [...new Set([...config.holidays, ...icsHolidays])].sort();
  return {
    timeZone: config.timeZone,
    week: config.week,
    holidays,
    extraWorkdays: [...config.extraWorkdays].sort(),
    extraWorkdayHours: config.extraWorkdayHours,
  };
}
