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
  // Durations: count, on-time share (where there is one), mean, p50 and p90 with their ranks.
  const timed = (figures: any) => [
    figures.count,
    ...(figures.onTime ? pair(figures.onTime) : []),
    ...pair(figures.meanSeconds),
    ...[figures.p50Seconds, figures.p90Seconds].flatMap((percentile) => [percentile.value, percentile.rank]),
  ];
  return {
    period: row.period,
    group: row.group,
    volume: [row.volume.opened, row.volume.resolved, row.volume.closed, row.volume.reopened, row.volume.escalated],
    firstResponse: timed(row.firstResponse),
    firstResponseBusiness: timed(row.firstResponse.business),
    nextReply: timed(row.nextReply),
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
  // Durations of `figure` (ms): count, the share of `onTimeFigure` facts (where there is one), mean, p50 and p90 with their ranks.
  const timed = (figure: string, onTimeFigure?: string) => {
    const durations = values(figure).sort((a, b) => a - b);
    const percentile = (p: number) => {
      if (!durations.length) return [null, 0];
      const rank = Math.max(1, Math.ceil(p * durations.length));
      return [bucketUpperBound(durations[rank - 1]! / 1000), rank];
    };
    const totalSeconds = durations.reduce((sum, ms) => sum + ms, 0) / 1000;
    return [
      durations.length,
      ...(onTimeFigure ? ratio(count(onTimeFigure), durations.length) : []),
      ...ratio(totalSeconds, durations.length),
      ...percentile(0.5),
      ...percentile(0.9),
    ].map((value) => (typeof value === 'number' ? round(value) : value));
  };
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
    firstResponse: timed('firstResponse', 'firstResponseOnTime'),
    firstResponseBusiness: timed('firstResponseBusiness'),
    nextReply: timed('nextReply', 'nextReplyOnTime'),
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
