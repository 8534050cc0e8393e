/** One working interval of a day, in minutes after local midnight (`closesMinute` up to 1440). */
export interface DayInterval {
  readonly opensMinute: number;
  readonly closesMinute: number;
}

const INTERVAL = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/;

/**
 * Reads `HH:MM-HH:MM` (00:00 to 24:00, opening before closing); the reason it is not one
 * otherwise. 24:00 may only close a day.
 */
export function parseInterval(text: string): DayInterval | string {
  const match = INTERVAL.exec(text);
  if (!match) return `"${text}" is not an interval of the day (HH:MM-HH:MM)`;
  const [opensHour, opensMinute, closesHour, closesMinute] = match.slice(1).map(Number) as [number, number, number, number];
  const opens = minuteOfDay(opensHour, opensMinute);
  const closes = minuteOfDay(closesHour, closesMinute);
  if (opens === undefined || opens === 24 * 60) return `"${text}" opens at no time of day (00:00 to 23:59)`;
  if (closes === undefined) return `"${text}" closes at no time of day (00:01 to 24:00)`;
  if (closes <= opens) return `"${text}" closes before it opens`;
  return { opensMinute: opens, closesMinute: closes };
}

function minuteOfDay(hour: number, minute: number): number | undefined {
  if (minute > 59 || hour > 24 || (hour === 24 && minute > 0)) return undefined;
  return hour * 60 + minute;
}

/**
 * A weekday's intervals in order; the reason they are not valid (a bad interval, or two that
 * overlap: touching ones, 09:00-12:00 and 12:00-13:00, are fine).
 */
export function checkDayHours(texts: readonly string[]): DayInterval[] | string {
  const parsed: { text: string; interval: DayInterval }[] = [];
  for (const text of texts) {
    const interval = parseInterval(text);
    if (typeof interval === 'string') return interval;
    parsed.push({ text, interval });
  }
  parsed.sort((a, b) => a.interval.opensMinute - b.interval.opensMinute);
  for (let i = 1; i < parsed.length; i++) {
    const before = parsed[i - 1]!;
    const after = parsed[i]!;
    if (after.interval.opensMinute < before.interval.closesMinute) return `${before.text} overlaps ${after.text}`;
  }
  return parsed.map(({ interval }) => interval);
}

/** A weekday's intervals in order; for hours already validated by the configuration schema. */
export function parseDayHours(texts: readonly string[]): DayInterval[] {
  const checked = checkDayHours(texts);
  if (typeof checked === 'string') throw new RangeError(checked);
  return checked;
}
