import fc from 'fast-check';
import { DateTime } from 'luxon';
import { WEEKDAYS, type BusinessCalendar } from '@shared/calendar/business-calendar';
import { addBusinessTime, businessTimeBetween, isOpen, localDate, nextOpening } from '@shared/calendar/business-time';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const at = (iso: string, zone: string) => DateTime.fromISO(iso, { zone }).toMillis();
const show = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone }).toFormat("ccc yyyy-MM-dd HH:mm");

const shanghai: BusinessCalendar = {
  timeZone: 'Asia/Shanghai',
  week: {
    mon: ['09:00-12:00', '13:30-18:00'],
    tue: ['09:00-12:00', '13:30-18:00'],
    wed: ['09:00-12:00', '13:30-18:00'],
    thu: ['09:00-12:00', '13:30-18:00'],
    fri: ['09:00-12:00', '13:30-18:00'],
  },
  // China's National Day week of 2026, with Saturday 10 October worked in exchange (调休).
  holidays: ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07', '2026-10-08', '2026-10-09'],
  extraWorkdays: ['2026-10-10'],
  extraWorkdayHours: 'mon',
};

describe('business time: named cases', () => {
  const sh = (iso: string) => at(iso, 'Asia/Shanghai');
  const inShanghai = (ms: number) => show(ms, 'Asia/Shanghai');

  it('Friday 17:55 in Shanghai plus 15 minutes of business time is Monday 09:10', () => {
    expect(inShanghai(addBusinessTime(shanghai, sh('2026-11-13T17:55'), 15 * MINUTE))).toBe('Mon 2026-11-16 09:10');
  });

  it('a complaint on the eve of a holiday runs over the holiday days to the next working day', () => {
    // Wednesday 30 September 17:00: one hour left that day, then holidays and a weekend up to the worked Saturday 10 October.
    expect(inShanghai(addBusinessTime(shanghai, sh('2026-09-30T17:00'), 2 * HOUR))).toBe('Sat 2026-10-10 10:00');
  });

  it('an extra Saturday working day counts with Monday\'s hours, lunch break included', () => {
    expect(isOpen(shanghai, sh('2026-10-10T09:00'))).toBe(true);
    expect(isOpen(shanghai, sh('2026-10-10T12:30'))).toBe(false);
    expect(isOpen(shanghai, sh('2026-10-17T10:00'))).toBe(false);
    expect(inShanghai(addBusinessTime(shanghai, sh('2026-10-10T11:00'), 2 * HOUR))).toBe('Sat 2026-10-10 14:30');
    expect(businessTimeBetween(shanghai, sh('2026-10-09T00:00'), sh('2026-10-12T00:00'))).toBe(7.5 * HOUR);
  });

  it('a ticket received out of hours starts counting at the next opening', () => {
    expect(inShanghai(nextOpening(shanghai, sh('2026-11-14T03:00')))).toBe('Mon 2026-11-16 09:00');
    expect(inShanghai(nextOpening(shanghai, sh('2026-11-16T12:10')))).toBe('Mon 2026-11-16 13:30');
    expect(inShanghai(addBusinessTime(shanghai, sh('2026-11-14T03:00'), 15 * MINUTE))).toBe('Mon 2026-11-16 09:15');
  });

  it('a span that ends exactly at closing time ends there, not at the next opening', () => {
    expect(inShanghai(addBusinessTime(shanghai, sh('2026-11-13T17:45'), 15 * MINUTE))).toBe('Fri 2026-11-13 18:00');
  });

  it('adding nothing in closed time is the next opening; adding nothing while open is the same instant', () => {
    expect(inShanghai(addBusinessTime(shanghai, sh('2026-11-13T20:00'), 0))).toBe('Mon 2026-11-16 09:00');
    expect(addBusinessTime(shanghai, sh('2026-11-13T10:07'), 0)).toBe(sh('2026-11-13T10:07'));
  });

  it('elapsed business time over a night counts only the hours worked', () => {
    expect(businessTimeBetween(shanghai, sh('2026-11-12T17:00'), sh('2026-11-13T10:00'))).toBe(2 * HOUR);
    expect(businessTimeBetween(shanghai, sh('2026-11-13T10:00'), sh('2026-11-12T17:00'))).toBe(0);
  });

  it('reads the local date of an instant in the calendar\'s zone', () => {
    expect(localDate(shanghai, Date.parse('2026-09-30T16:30:00Z'))).toBe('2026-10-01');
  });

  it('says when a calendar has no working time at all ahead', () => {
    const closedForever: BusinessCalendar = { ...shanghai, week: { mon: ['09:00-10:00'] }, holidays: [], extraWorkdays: [] };
    const everyMonday = Array.from({ length: 600 }, (_, week) => DateTime.fromISO('2026-11-16').plus({ weeks: week }).toISODate()!);
    expect(() => addBusinessTime({ ...closedForever, holidays: everyMonday }, sh('2026-11-16T00:00'), MINUTE)).toThrow(/no working time in 3700 days/);
  });
});

describe('business time: daylight saving days have their real length', () => {
  const allDay = (timeZone: string): BusinessCalendar => ({
    timeZone,
    week: Object.fromEntries(WEEKDAYS.map((day) => [day, ['00:00-24:00']])),
    holidays: [],
    extraWorkdays: [],
    extraWorkdayHours: 'mon',
  });
  const dayLength = (timeZone: string, date: string) => {
    const start = at(`${date}T00:00`, timeZone);
    const end = DateTime.fromISO(date, { zone: timeZone }).plus({ days: 1 }).toMillis();
    return businessTimeBetween(allDay(timeZone), start, end) / HOUR;
  };

  it.each([
    ['America/New_York', '2026-03-08', 23],
    ['America/New_York', '2026-11-01', 25],
    ['America/New_York', '2026-06-15', 24],
    ['Europe/Berlin', '2026-03-29', 23],
    ['Europe/Berlin', '2026-10-25', 25],
    ['Europe/Berlin', '2026-01-15', 24],
  ])('%s on %s lasts %i hours', (zone, date, hours) => {
    expect(dayLength(zone, date)).toBe(hours);
  });

  it.each(['America/New_York', 'Europe/Berlin'])('every day of 2024-2027 in %s lasts 24 hours less the change of UTC offset over it (offsets read from Intl)', (zone) => {
    const offsetMinutes = (ms: number) => {
      const name = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' }).formatToParts(ms).find((part) => part.type === 'timeZoneName')!.value;
      const match = /GMT(?:([+-])(\d{2}):(\d{2}))?/.exec(name)!;
      return match[1] ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) : 0;
    };
    const lengths = new Map<number, number>();
    for (let day = DateTime.fromISO('2024-01-01', { zone }); day.year < 2028; day = day.plus({ days: 1 })) {
      const date = day.toISODate()!;
      const expected = 24 - (offsetMinutes(day.plus({ days: 1 }).toMillis()) - offsetMinutes(day.toMillis())) / 60;
      expect([date, dayLength(zone, date)]).toEqual([date, expected]);
      lengths.set(expected, (lengths.get(expected) ?? 0) + 1);
    }
    // Four springs forward and four autumns back.
    expect(Object.fromEntries(lengths)).toEqual({ 23: 4, 24: 1461 - 8, 25: 4 });
  });

  it('a 09:00-17:00 day is 8 real hours on a DST day, and 24 business hours from Saturday 09:00 in New York end on Monday 17:00 across the change', () => {
    const office: BusinessCalendar = { ...allDay('America/New_York'), week: Object.fromEntries(WEEKDAYS.map((day) => [day, ['09:00-17:00']])) };
    expect(businessTimeBetween(office, at('2026-03-08T00:00', 'America/New_York'), at('2026-03-09T00:00', 'America/New_York'))).toBe(8 * HOUR);
    expect(show(addBusinessTime(office, at('2026-03-07T09:00', 'America/New_York'), 24 * HOUR), 'America/New_York')).toBe('Mon 2026-03-09 17:00');
  });

  it('an interval through the repeated hour of the autumn change lasts one hour longer', () => {
    const night: BusinessCalendar = { ...allDay('Europe/Berlin'), week: Object.fromEntries(WEEKDAYS.map((day) => [day, ['01:00-04:00']])) };
    expect(businessTimeBetween(night, at('2026-10-25T00:00', 'Europe/Berlin'), at('2026-10-26T00:00', 'Europe/Berlin'))).toBe(4 * HOUR);
    expect(businessTimeBetween(night, at('2026-03-29T00:00', 'Europe/Berlin'), at('2026-03-30T00:00', 'Europe/Berlin'))).toBe(2 * HOUR);
  });
});

describe('business time: properties over random calendars and instants', () => {
  const ZONES = ['Asia/Shanghai', 'America/New_York', 'Europe/Berlin', 'UTC', 'Australia/Lord_Howe', 'America/Sao_Paulo'];
  // Intervals on a 15-minute grid, kept apart so no two overlap.
  const dayHours = fc
    .uniqueArray(fc.integer({ min: 0, max: 96 }), { minLength: 0, maxLength: 6 })
    .map((marks) => [...marks].sort((a, b) => a - b))
    .map((marks) => {
      const out: string[] = [];
      for (let i = 0; i + 1 < marks.length; i += 2) out.push(`${hhmm(marks[i]! * 15)}-${hhmm(marks[i + 1]! * 15)}`);
      return out;
    });
  const dateIn2026 = fc.integer({ min: 0, max: 364 }).map((n) => DateTime.fromISO('2026-01-01').plus({ days: n }).toISODate()!);
  const calendar: fc.Arbitrary<BusinessCalendar> = fc
    .record({
      timeZone: fc.constantFrom(...ZONES),
      days: fc.array(dayHours, { minLength: 7, maxLength: 7 }),
      holidays: fc.uniqueArray(dateIn2026, { maxLength: 40 }),
      extraWorkdays: fc.uniqueArray(dateIn2026, { maxLength: 10 }),
      extraWorkdayHours: fc.constantFrom(...WEEKDAYS),
    })
    .filter(({ days }) => days.some((hours) => hours.length > 0))
    .map(({ timeZone, days, holidays, extraWorkdays, extraWorkdayHours }) => ({
      timeZone,
      week: Object.fromEntries(WEEKDAYS.map((day, i) => [day, days[i]!] as const).filter(([, hours]) => hours.length > 0)),
      holidays,
      extraWorkdays,
      extraWorkdayHours,
    }));
  const instant = fc.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2026-12-31T00:00:00Z') });
  const span = fc.integer({ min: 0, max: 72 * HOUR });

  it('adding a then b equals adding a + b', () => {
    fc.assert(
      fc.property(calendar, instant, span, span, (cal, start, a, b) => {
        expect(addBusinessTime(cal, addBusinessTime(cal, start, a), b)).toBe(addBusinessTime(cal, start, a + b));
      }),
      { numRuns: 300 },
    );
  });

  it('a business deadline never falls in closed time: the moment before it is working time', () => {
    fc.assert(
      fc.property(calendar, instant, span.filter((ms) => ms > 0), (cal, start, ms) => {
        const due = addBusinessTime(cal, start, ms);
        expect(isOpen(cal, due - 1)).toBe(true);
        expect(due).toBeGreaterThanOrEqual(start + ms);
      }),
      { numRuns: 300 },
    );
  });

  it('elapsed business time between receipt and due equals the span', () => {
    fc.assert(
      fc.property(calendar, instant, span, (cal, start, ms) => {
        expect(businessTimeBetween(cal, start, addBusinessTime(cal, start, ms))).toBe(ms);
      }),
      { numRuns: 300 },
    );
  });

  it('counting starts at the next opening', () => {
    fc.assert(
      fc.property(calendar, instant, span, (cal, start, ms) => {
        const opening = nextOpening(cal, start);
        expect(isOpen(cal, opening)).toBe(true);
        expect(businessTimeBetween(cal, start, opening)).toBe(0);
        expect(addBusinessTime(cal, start, ms)).toBe(addBusinessTime(cal, opening, ms));
      }),
      { numRuns: 300 },
    );
  });
});

function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
