import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { ConfigurationError } from '@shared/errors';
import type { CalendarConfig } from './calendar-schema';
import { holidaysFromIcs } from './ics-holidays';

/** Recurring holidays in an iCalendar file are read this many years ahead of loading. */
export const ICS_HORIZON_YEARS = 5;
/** A calendar URL that does not answer within this fails the configuration load. */
const FETCH_TIMEOUT_MS = 10_000;

export interface CalendarFileOptions {
  /** Relative `ics` paths are read from here (the `--config` file's folder locally). */
  readonly baseDir?: string;
  /** Loading time, in epoch milliseconds: recurring holidays are read up to {@link ICS_HORIZON_YEARS} after it. */
  readonly nowMs: number;
  readonly fetch?: typeof fetch;
}

/**
 * Reads each marketplace calendar's `ics` file (path or http(s) URL) once, at configuration
 * load, and merges its all-day events into `holidays`; the calendars come back without
 * `ics`, so nothing reads the file again. A file that cannot be read or parsed stops the
 * load with a message naming the field.
 */
export async function loadCalendarFiles<T extends { readonly calendar?: CalendarConfig }>(
  marketplaces: Readonly<Record<string, T>>,
  options: CalendarFileOptions,
): Promise<Record<string, T>> {
  const untilDate = new Date(options.nowMs + ICS_HORIZON_YEARS * 366 * 24 * 3600 * 1000).toISOString().slice(0, 10);
  const entries = await Promise.all(
    Object.entries(marketplaces).map(async ([id, marketplace]) => {
      const calendar = marketplace.calendar;
      if (!calendar?.ics) return [id, marketplace] as const;
      const field = `marketplaces.${id}.calendar.ics`;
      let holidays: string[];
      try {
        holidays = holidaysFromIcs(await readIcs(calendar.ics, options), untilDate);
      } catch (error) {
        throw new ConfigurationError(`${field}: cannot use ${calendar.ics}: ${(error as Error).message}`);
      }
      const { ics: _read, ...rest } = calendar;
      const merged = [...new Set([...calendar.holidays, ...holidays.filter((date) => !calendar.extraWorkdays.includes(date))])].sort();
      return [id, { ...marketplace, calendar: { ...rest, holidays: merged } }] as const;
    }),
  );
  return Object.fromEntries(entries);
}

async function readIcs(source: string, options: CalendarFileOptions): Promise<string> {
  if (/^https?:\/\//i.test(source)) {
    const response = await (options.fetch ?? fetch)(source, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    if (!response.ok) throw new Error(`answered ${response.status}`);
    return response.text();
  }
  return readFile(isAbsolute(source) || !options.baseDir ? source : resolve(options.baseDir, source), 'utf8');
}
