import { z } from 'zod';
import type { BusinessCalendar } from '@shared/calendar/business-calendar';
import { addBusinessTime, businessTimeBetween } from '@shared/calendar/business-time';

/**
 * Which clock a complaint deadline counts in: `business` (only the marketplace calendar's
 * working hours count; a span started in closed time starts at the next opening) or
 * `calendar` (every second counts, nights and holidays too). Return limits, set by law and
 * by the platforms in natural days, always count in calendar time.
 */
export const DEADLINE_CLOCKS = ['business', 'calendar'] as const;
export type DeadlineClock = (typeof DEADLINE_CLOCKS)[number];

/** The complaint metrics whose clock a marketplace chooses. */
export const CLOCKED_METRICS = ['firstResponse', 'nextReply', 'initialHandling', 'resolution'] as const;
export type ClockedMetric = (typeof CLOCKED_METRICS)[number];

/** `sla.<priority>.clock` in the configuration: a clock per metric. */
export const clockConfigSchema = z.strictObject(
  Object.fromEntries(CLOCKED_METRICS.map((metric) => [metric, z.enum(DEADLINE_CLOCKS).optional()])) as Record<
    ClockedMetric,
    z.ZodOptional<z.ZodEnum<{ business: 'business'; calendar: 'calendar' }>>
  >,
);
export type ClockConfig = z.infer<typeof clockConfigSchema>;

/**
 * The clock of each metric: as configured, else `business` for first response and next
 * reply when the marketplace has a calendar (the customer waits on the desk's hours), and
 * `calendar` for everything else. Without a calendar every metric counts in calendar time.
 */
export function metricClocks(configured: ClockConfig | undefined, hasCalendar: boolean): Record<ClockedMetric, DeadlineClock> {
  const defaults: Record<ClockedMetric, DeadlineClock> = {
    firstResponse: hasCalendar ? 'business' : 'calendar',
    nextReply: hasCalendar ? 'business' : 'calendar',
    initialHandling: 'calendar',
    resolution: 'calendar',
  };
  if (!hasCalendar) return defaults;
  const chosen = Object.fromEntries(Object.entries(configured ?? {}).filter(([, clock]) => clock !== undefined));
  return { ...defaults, ...chosen };
}

/** What a complaint's deadlines count under, as recorded on the ticket when it opened. */
export interface DeadlineTerms {
  readonly slaPolicy?: { readonly clock?: Readonly<Partial<Record<ClockedMetric, DeadlineClock>>> };
  readonly calendar?: BusinessCalendar;
}

/** A deadline as the clock module computes it: its absolute due time and the clock it counts in. */
export interface ClockedDue {
  readonly dueAt: string;
  readonly clock: DeadlineClock;
}

/** The clock a metric counts in under a ticket's terms (calendar time when no calendar is recorded). */
export function clockOf(terms: DeadlineTerms, metric: string): DeadlineClock {
  if (!terms.calendar) return 'calendar';
  return terms.slaPolicy?.clock?.[metric as ClockedMetric] ?? 'calendar';
}

/**
 * The due time of a metric whose span of `seconds` starts at `startIso` (a complaint's
 * receipt, a customer's message), on the clock the ticket's terms give it. The one place a
 * complaint deadline is computed.
 */
export function metricDue(terms: DeadlineTerms, metric: ClockedMetric, startIso: string, seconds: number): ClockedDue {
  const clock = clockOf(terms, metric);
  const startMs = Date.parse(startIso);
  const dueMs = clock === 'business' && terms.calendar ? addBusinessTime(terms.calendar, startMs, seconds * 1000) : startMs + seconds * 1000;
  return { dueAt: new Date(dueMs).toISOString(), clock };
}

/**
 * When on-call is warned about a deadline: once `fraction` of its span from `startMs` has
 * passed, the span measured on the deadline's own clock (80 % of a business-time span that
 * crosses a weekend falls in working hours, not on Sunday).
 */
export function warningTime(
  terms: DeadlineTerms,
  deadline: { readonly dueAt: string; readonly clock?: DeadlineClock },
  startMs: number,
  fraction: number,
): number {
  const dueMs = Date.parse(deadline.dueAt);
  if (deadline.clock === 'business' && terms.calendar) {
    const span = businessTimeBetween(terms.calendar, startMs, dueMs);
    return addBusinessTime(terms.calendar, startMs, Math.floor(span * fraction));
  }
  return startMs + Math.floor((dueMs - startMs) * fraction);
}

/**
 * A running deadline after the clock stood still from `fromIso` to `toIso` (a pause on the
 * customer): moved by the time that passed on its own clock, so a night inside a pause does
 * not move a business-time deadline.
 */
export function afterPause<D extends { readonly dueAt: string; readonly clock?: DeadlineClock }>(
  terms: DeadlineTerms,
  deadline: D,
  fromIso: string,
  toIso: string,
): D {
  const fromMs = Date.parse(fromIso);
  const toMs = Date.parse(toIso);
  if (!(toMs > fromMs)) return deadline;
  const dueMs = Date.parse(deadline.dueAt);
  const moved =
    deadline.clock === 'business' && terms.calendar
      ? addBusinessTime(terms.calendar, dueMs, businessTimeBetween(terms.calendar, fromMs, toMs))
      : dueMs + (toMs - fromMs);
  return { ...deadline, dueAt: new Date(moved).toISOString() };
}
