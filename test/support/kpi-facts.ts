import { DateTime } from 'luxon';
import { bucketUpperBound } from '@shared/reports/histogram';

/**
 * The figures a KPI report must show, computed the slow, obvious way: from a list of atomic
 * facts ("this ticket was opened then, for these groups", "a first response took 300 s"),
 * each figure by filtering and counting. Tests build the facts twice, from the scenario they
 * drive and from the audit export, and hold the report against both.
 */
export type Dimension = 'agent' | 'tier' | 'category' | 'priority' | 'channel';
export type FactGroups = Readonly<Record<Dimension, string>>;

export interface Fact {
  /** Cohort facts: the ticket's opening. Activity facts: when it happened. */
  readonly at: number;
  readonly groups: FactGroups;
  /**
   * Cohort: opened, handledOnTime, resolvedOnTime, resolvedNotReopened, escalated, reopened.
   * Activity: resolved, closed, reopening, escalation, firstResponse (value: ms), firstResponseBusiness
   * (value: ms of working time, complaints opened with a calendar), firstResponseOnTime,
   * nextReply (value: ms from the customer's message to the reply), nextReplyOnTime,
   * breach:<metric>, csat (value), nps (value).
   */
  readonly figure: string;
  readonly value?: number;
}

/** The comparable part of a report row: every numerator, denominator and computed value. */
export function projectRow(row: any) {
  const pair = (ratio: any) => [ratio.numerator, ratio.denominator, ratio.value === null ? null : round(ratio.value)];
  return {
    period: row.period,
    group: row.group,
    volume: [row.volume.opened, row.volume.resolved, row.volume.closed, row.volume.reopened, row.volume.escalated],
    firstResponse: [
      row.firstResponse.count,
      ...pair(row.firstResponse.onTime),
      ...pair(row.firstResponse.meanSeconds),
      row.firstResponse.p50Seconds.value,
      row.firstResponse.p50Seconds.rank,
      row.firstResponse.p90Seconds.value,
      row.firstResponse.p90Seconds.rank,
    ],
    firstResponseBusiness: [
      row.firstResponse.business.count,
      ...pair(row.firstResponse.business.meanSeconds),
      row.firstResponse.business.p50Seconds.value,
      row.firstResponse.business.p50Seconds.rank,
      row.firstResponse.business.p90Seconds.value,
      row.firstResponse.business.p90Seconds.rank,
    ],
    nextReply: [
      row.nextReply.count,
      ...pair(row.nextReply.onTime),
      ...pair(row.nextReply.meanSeconds),
      row.nextReply.p50Seconds.value,
      row.nextReply.p50Seconds.rank,
      row.nextReply.p90Seconds.value,
      row.nextReply.p90Seconds.rank,
    ],
    initialHandlingOnTime: pair(row.initialHandlingOnTime),
    resolutionOnTime: pair(row.resolutionOnTime),
    resolutionRate: [...pair(row.resolutionRate), row.resolutionRate.meetsTarget],
    escalationRate: pair(row.escalationRate),
    reopenRate: pair(row.reopenRate),
    csat: [row.csat.answers, ...pair(row.csat.mean), ...pair(row.csat.satisfied), row.csat.band],
    nps: [row.nps.answers, row.nps.promoters, row.nps.detractors, ...pair(row.nps.score)],
    breaches: [row.breaches.total, row.breaches.firstResponse, row.breaches.nextReply, row.breaches.initialHandling, row.breaches.resolution],
  };
}

const round = (value: number) => Math.round(value * 1e9) / 1e9;

/** Local date on which the period holding `ms` starts, in `zone` (weeks from Monday). */
export function periodOf(period: 'day' | 'week' | 'month' | 'quarter' | 'year', ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone }).startOf(period).toISODate()!;
}

/** The expected projection of every row, as `GET /reports/kpis` should order them. */
export function expectedRows(
  facts: readonly Fact[],
  options: { period: 'day' | 'week' | 'month' | 'quarter' | 'year'; zone: string; groupBy?: Dimension; periods: readonly string[] },
) {
  const cells = new Map<string, Fact[]>();
  for (const fact of facts) {
    const key = `${periodOf(options.period, fact.at, options.zone)}\n${options.groupBy ? fact.groups[options.groupBy] : 'all'}`;
    cells.set(key, [...(cells.get(key) ?? []), fact]);
  }
  if (!options.groupBy) for (const period of options.periods) if (!cells.has(`${period}\nall`)) cells.set(`${period}\nall`, []);
  return [...cells]
    .filter(([key]) => options.periods.includes(key.split('\n')[0]!))
    .map(([key, cellFacts]) => figuresOf(key.split('\n')[0]!, key.split('\n')[1]!, cellFacts))
    .filter((row) => !options.groupBy || JSON.stringify(row) !== JSON.stringify(figuresOf(row.period, row.group, [])))
    .sort((a, b) => a.period.localeCompare(b.period) || a.group.localeCompare(b.group));
}

function figuresOf(period: string, group: string, facts: readonly Fact[]) {
  const count = (figure: string) => facts.filter((fact) => fact.figure === figure).length;
  const values = (figure: string) => facts.filter((fact) => fact.figure === figure).map((fact) => fact.value!);
  const ratio = (numerator: number, denominator: number) => [numerator, denominator, denominator ? round(numerator / denominator) : null];
  const opened = count('opened');
  const durationFigures = (figure: string) => {
    const durations = values(figure).sort((a, b) => a - b);
    const percentile = (p: number) => {
      if (!durations.length) return [null, 0];
      const rank = Math.max(1, Math.ceil(p * durations.length));
      return [bucketUpperBound(durations[rank - 1]! / 1000), rank];
    };
    const totalSeconds = durations.reduce((sum, ms) => sum + ms, 0) / 1000;
    return { durations, percentile, totalSeconds };
  };
  const { durations, percentile, totalSeconds } = durationFigures('firstResponse');
  const business = durationFigures('firstResponseBusiness');
  const nextReply = durationFigures('nextReply');
  const csat = values('csat');
  const satisfied = csat.filter((score) => score >= 4).length;
  const satisfiedShare = csat.length ? satisfied / csat.length : null;
  const nps = values('nps');
  const promoters = nps.filter((score) => score >= 9).length;
  const detractors = nps.filter((score) => score <= 6).length;
  const resolutionRate = ratio(count('resolvedNotReopened'), opened);
  return {
    period,
    group,
    volume: [opened, count('resolved'), count('closed'), count('reopening'), count('escalation')],
    firstResponse: [durations.length, ...ratio(count('firstResponseOnTime'), durations.length), ...ratio(totalSeconds, durations.length), ...percentile(0.5), ...percentile(0.9)].map(
      (value) => (typeof value === 'number' ? round(value) : value),
    ),
    firstResponseBusiness: [business.durations.length, ...ratio(business.totalSeconds, business.durations.length), ...business.percentile(0.5), ...business.percentile(0.9)].map(
      (value) => (typeof value === 'number' ? round(value) : value),
    ),
    nextReply: [
      nextReply.durations.length,
      ...ratio(count('nextReplyOnTime'), nextReply.durations.length),
      ...ratio(nextReply.totalSeconds, nextReply.durations.length),
      ...nextReply.percentile(0.5),
      ...nextReply.percentile(0.9),
    ].map((value) => (typeof value === 'number' ? round(value) : value)),
    initialHandlingOnTime: ratio(count('handledOnTime'), opened),
    resolutionOnTime: ratio(count('resolvedOnTime'), opened),
    resolutionRate: [...resolutionRate, opened ? count('resolvedNotReopened') / opened >= 0.95 : null],
    escalationRate: ratio(count('escalated'), opened),
    reopenRate: ratio(count('reopened'), opened),
    csat: [
      csat.length,
      ...ratio(csat.reduce((sum, score) => sum + score, 0), csat.length),
      ...ratio(satisfied, csat.length),
      satisfiedShare === null ? null : satisfiedShare >= 0.8 ? 'excellent' : satisfiedShare >= 0.7 ? 'good' : 'needs_improvement',
    ],
    nps: [nps.length, promoters, detractors, ...ratio(100 * (promoters - detractors), nps.length)],
    breaches: [
      facts.filter((fact) => fact.figure.startsWith('breach:')).length,
      count('breach:firstResponse'),
      count('breach:nextReply'),
      count('breach:initialHandling'),
      count('breach:resolution'),
    ],
  };
}
