import { createServer } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { businessCalendarOf, calendarConfigSchema } from '@shared/calendar/calendar-schema';
import { loadCalendarFiles } from '@shared/calendar/calendar-files';
import { holidaysFromIcs } from '@shared/calendar/ics-holidays';

const valid = { timeZone: 'Asia/Shanghai', week: { mon: ['09:00-12:00', '13:30-18:00'], tue: ['09:00-18:00'], sat: [] } };
const problems = (calendar: unknown) => {
  const parsed = calendarConfigSchema.safeParse(calendar);
  return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
};

describe('calendar configuration', () => {
  it('accepts the documented example, with defaults for the lists and extraWorkdayHours', () => {
    expect(calendarConfigSchema.parse({ ...valid, holidays: ['2026-10-01'], extraWorkdays: ['2026-10-10'] })).toEqual({
      ...valid,
      holidays: ['2026-10-01'],
      extraWorkdays: ['2026-10-10'],
      extraWorkdayHours: 'mon',
    });
  });

  it.each([
    [{ ...valid, week: { mon: ['09:00-12:00', '11:00-13:00'] } }, 'week.mon: 09:00-12:00 overlaps 11:00-13:00'],
    [{ ...valid, week: { mon: ['09:00-25:00'] } }, 'week.mon: "09:00-25:00" closes at no time of day (00:01 to 24:00)'],
    [{ ...valid, week: { tue: ['9-17'] } }, 'week.tue: "9-17" is not an interval of the day (HH:MM-HH:MM)'],
    [{ ...valid, week: { wed: ['18:00-09:00'] } }, 'week.wed: "18:00-09:00" closes before it opens'],
    [{ ...valid, week: { thu: ['24:00-24:00'] } }, 'week.thu: "24:00-24:00" opens at no time of day (00:00 to 23:59)'],
    [{ ...valid, timeZone: 'Mars/Olympus_Mons' }, 'timeZone: "Mars/Olympus_Mons" is not an IANA time zone (such as Asia/Shanghai)'],
    [{ ...valid, holidays: ['2026-02-30'] }, 'holidays.0: "2026-02-30" is not a date (YYYY-MM-DD)'],
    [{ ...valid, extraWorkdays: ['10/10/2026'] }, 'extraWorkdays.0: "10/10/2026" is not a date (YYYY-MM-DD)'],
    [{ ...valid, week: { sat: [] } }, 'week: no weekday has working hours'],
    [{ ...valid, week: { funday: ['09:00-10:00'], mon: ['09:00-10:00'] } }, 'week: Unrecognized key: "funday"'],
    [{ ...valid, extraWorkdays: ['2026-10-10'], extraWorkdayHours: 'sat' }, 'extraWorkdayHours: extra working days take the hours of sat, which has none'],
    [{ ...valid, holidays: ['2026-10-10'], extraWorkdays: ['2026-10-10'] }, 'extraWorkdays: 2026-10-10 is both a holiday and an extra working day'],
  ])('rejects %j: %s', (calendar, message) => {
    expect(problems(calendar)).toEqual([message]);
  });

  it('builds the business calendar with sorted, unique holidays', () => {
    const config = calendarConfigSchema.parse({ ...valid, holidays: ['2026-10-02', '2026-10-01'] });
    expect(businessCalendarOf(config, ['2026-10-01', '2026-01-01'])).toEqual({
      timeZone: 'Asia/Shanghai',
      week: valid.week,
      holidays: ['2026-01-01', '2026-10-01', '2026-10-02'],
      extraWorkdays: [],
      extraWorkdayHours: 'mon',
    });
  });
});

const ICS = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Aftercare test//EN',
  // A three-day holiday: DTEND is exclusive.
  'BEGIN:VEVENT',
  'UID:national-day',
  'DTSTART;VALUE=DATE:20261001',
  'DTEND;VALUE=DATE:20261004',
  'SUMMARY:National Day',
  'END:VEVENT',
  // A timed event is no holiday.
  'BEGIN:VEVENT',
  'UID:party',
  'DTSTART:20261020T180000Z',
  'DTEND:20261020T200000Z',
  'SUMMARY:Team dinner',
  'END:VEVENT',
  // A yearly holiday, with one year excluded.
  'BEGIN:VEVENT',
  'UID:new-year',
  'DTSTART;VALUE=DATE:20260101',
  'RRULE:FREQ=YEARLY',
  'EXDATE;VALUE=DATE:20280101',
  'SUMMARY:New Year',
  'END:VEVENT',
  // A cancelled one is no holiday.
  'BEGIN:VEVENT',
  'UID:cancelled',
  'DTSTART;VALUE=DATE:20261111',
  'STATUS:CANCELLED',
  'END:VEVENT',
  'END:VCALENDAR',
].join('\r\n');

describe('holidays from an iCalendar file', () => {
  it('takes every day of all-day events, expands recurring ones up to the horizon, skips timed and cancelled events', () => {
    expect(holidaysFromIcs(ICS, '2029-06-30')).toEqual(['2026-01-01', '2026-10-01', '2026-10-02', '2026-10-03', '2027-01-01', '2029-01-01']);
  });

  it('throws on text that is not iCalendar', () => {
    expect(() => holidaysFromIcs('hello', '2030-01-01')).toThrow();
  });

  it('loads a relative path from the configuration folder once, merging into holidays and leaving extra working days alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aftercare-ics-'));
    writeFileSync(join(dir, 'holidays.ics'), ICS);
    const calendar = calendarConfigSchema.parse({ ...valid, holidays: ['2026-05-01'], extraWorkdays: ['2026-10-03'], ics: 'holidays.ics' });
    const loaded = await loadCalendarFiles({ acme: { calendar }, plain: {} }, { baseDir: dir, nowMs: Date.parse('2026-06-01T00:00:00Z') });
    expect(loaded.plain).toEqual({});
    expect(loaded.acme!.calendar).toEqual({
      ...valid,
      holidays: ['2026-01-01', '2026-05-01', '2026-10-01', '2026-10-02', '2027-01-01', '2029-01-01', '2030-01-01', '2031-01-01'],
      extraWorkdays: ['2026-10-03'],
      extraWorkdayHours: 'mon',
    });
  });

  it('loads a URL, and names the field when the file cannot be had', async () => {
    const server = createServer((request, response) => {
      if (request.url === '/holidays.ics') response.writeHead(200, { 'content-type': 'text/calendar' }).end(ICS);
      else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const calendar = (ics: string) => calendarConfigSchema.parse({ ...valid, ics });
      const nowMs = Date.parse('2026-06-01T00:00:00Z');
      const loaded = await loadCalendarFiles({ acme: { calendar: calendar(`${base}/holidays.ics`) } }, { nowMs });
      expect(loaded.acme!.calendar!.holidays).toContain('2026-10-02');
      await expect(loadCalendarFiles({ acme: { calendar: calendar(`${base}/missing.ics`) } }, { nowMs })).rejects.toThrow(
        `marketplaces.acme.calendar.ics: cannot use ${base}/missing.ics: answered 404`,
      );
      await expect(loadCalendarFiles({ acme: { calendar: calendar('/nonexistent/holidays.ics') } }, { nowMs })).rejects.toThrow(
        /^marketplaces\.acme\.calendar\.ics: cannot use \/nonexistent\/holidays\.ics: ENOENT/,
      );
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
