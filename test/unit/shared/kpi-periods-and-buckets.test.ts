import { BUCKET_BOUNDS, bucketOf, bucketUpperBound, percentileOf } from '@shared/reports/histogram';
import { localDate, nextPeriodStart, periodStart } from '@shared/reports/periods';

describe('report periods in the marketplace time zone', () => {
  it('starts weeks on Monday, in the zone: a Sunday evening in UTC is already Monday in Shanghai', () => {
    expect(periodStart('week', '2026-03-01T12:00:00Z', 'UTC')).toBe('2026-02-23');
    expect(periodStart('week', '2026-03-01T17:00:00Z', 'Asia/Shanghai')).toBe('2026-03-02');
  });

  it('puts a moment in the day, month, quarter and year it falls on locally', () => {
    const lateEvening = '2026-03-31T16:30:00Z'; // 00:30 on April 1st in Shanghai
    expect(periodStart('day', lateEvening, 'Asia/Shanghai')).toBe('2026-04-01');
    expect(periodStart('month', lateEvening, 'Asia/Shanghai')).toBe('2026-04-01');
    expect(periodStart('month', lateEvening, 'UTC')).toBe('2026-03-01');
    expect(periodStart('quarter', lateEvening, 'Asia/Shanghai')).toBe('2026-04-01');
    expect(periodStart('year', lateEvening, 'America/New_York')).toBe('2026-01-01');
  });

  it('steps from period to period', () => {
    expect(nextPeriodStart('week', '2026-12-28')).toBe('2027-01-04');
    expect(nextPeriodStart('quarter', '2026-10-01')).toBe('2027-01-01');
  });

  it('reads a bound as a local date, a time with an offset by the date it falls on, and refuses anything else', () => {
    expect(localDate('2026-03-01', 'Asia/Shanghai', 'from')).toBe('2026-03-01');
    expect(localDate('2026-03-01T20:00:00Z', 'Asia/Shanghai', 'from')).toBe('2026-03-02');
    expect(() => localDate('2026-03-01T20:00:00', 'UTC', 'from')).toThrow('query parameter from must be a date');
    expect(() => localDate('2026-02-30', 'UTC', 'to')).toThrow('query parameter to is not a date');
  });
});

describe('duration buckets', () => {
  it('are a minute wide up to 30 minutes, then 5 minutes, 15 minutes, an hour and 6 hours, open past 7 days', () => {
    expect(BUCKET_BOUNDS.slice(0, 3)).toEqual([60, 120, 180]);
    expect(bucketUpperBound(15 * 60)).toBe(900);
    expect(bucketUpperBound(15 * 60 + 1)).toBe(960);
    expect(bucketUpperBound(31 * 60)).toBe(35 * 60);
    expect(bucketUpperBound(8 * 3600 + 1)).toBe(9 * 3600);
    expect(bucketUpperBound(50 * 3600)).toBe(54 * 3600);
    expect(bucketUpperBound(8 * 86400)).toBeNull();
    expect(bucketOf(0)).toBe(0);
  });

  it('give the nearest-rank percentile as the bound of the bucket holding it', () => {
    const buckets = new Map([
      [bucketOf(300), 6],
      [bucketOf(600), 3],
      [bucketOf(2400), 1],
    ]);
    expect(percentileOf(buckets, 0.5)).toEqual({ rank: 5, count: 10, seconds: 300 });
    expect(percentileOf(buckets, 0.9)).toEqual({ rank: 9, count: 10, seconds: 600 });
    expect(percentileOf(buckets, 0.95)).toEqual({ rank: 10, count: 10, seconds: 2400 });
    expect(percentileOf(new Map(), 0.5)).toBeNull();
  });
});
