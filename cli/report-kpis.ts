import { z } from 'zod';
import type { AftercareApiClient } from './api-client';

const ratio = z.object({ value: z.number().nullable(), numerator: z.number(), denominator: z.number() });
const percentile = z.object({ value: z.number().nullable(), rank: z.number(), count: z.number() });
const reportAnswer = z.object({
  marketplace: z.string(),
  timeZone: z.string(),
  period: z.string(),
  groupBy: z.string().nullable(),
  from: z.string(),
  to: z.string(),
  rows: z.array(
    z.object({
      period: z.string(),
      group: z.string(),
      volume: z.object({ opened: z.number(), resolved: z.number(), closed: z.number(), reopened: z.number(), escalated: z.number() }),
      firstResponse: z.object({ count: z.number(), onTime: ratio, meanSeconds: ratio, p50Seconds: percentile, p90Seconds: percentile }),
      nextReply: z.object({ count: z.number(), onTime: ratio, meanSeconds: ratio }),
      initialHandlingOnTime: ratio,
      resolutionOnTime: ratio,
      resolutionRate: ratio,
      escalationRate: ratio,
      reopenRate: ratio,
      csat: z.object({ answers: z.number(), mean: ratio, satisfied: ratio, band: z.string().nullable() }),
      nps: z.object({ score: ratio }),
      breaches: z.object({ total: z.number() }),
      reviews: z.object({ count: z.number(), meanScore: ratio }),
    }),
  ),
});
export type KpiReportAnswer = z.infer<typeof reportAnswer>;

export interface ReportKpisOptions {
  readonly marketplace: string;
  readonly period: string;
  readonly groupBy?: string;
  readonly from?: string;
  readonly to?: string;
}

/** `aftercare report kpis`: the report as a table, one line per period (and group). */
export async function reportKpis(api: AftercareApiClient, options: ReportKpisOptions): Promise<string[]> {
  const query = new URLSearchParams({ marketplace: options.marketplace, period: options.period });
  if (options.groupBy) query.set('groupBy', options.groupBy);
  if (options.from) query.set('from', options.from);
  if (options.to) query.set('to', options.to);
  const answer = await api.get(`/reports/kpis?${query.toString()}`, reportAnswer);
  return kpiTable(answer);
}

const share = (figure: z.infer<typeof ratio>) =>
  figure.value === null ? '-' : `${(100 * figure.value).toFixed(1)}% ${figure.numerator}/${figure.denominator}`;
const mean = (figure: z.infer<typeof ratio>, digits = 2) => (figure.value === null ? '-' : figure.value.toFixed(digits));

/** A duration in seconds as `12m`, `1h05m` or `2d03h`. */
export function duration(seconds: number | null): string {
  if (seconds === null) return '-';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  if (minutes < 48 * 60) return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
  return `${Math.floor(minutes / 1440)}d${String(Math.floor((minutes % 1440) / 60)).padStart(2, '0')}h`;
}

/** The rows laid out in aligned columns under a header naming the marketplace, zone and range. */
export function kpiTable(answer: KpiReportAnswer): string[] {
  const header = [
    'period',
    ...(answer.groupBy ? [answer.groupBy] : []),
    'opened',
    'resolved',
    'first resp. on time',
    'mean',
    'p50',
    'p90',
    'next reply on time',
    'next reply mean',
    'handled ≤24h',
    'resolved ≤48h',
    'resolution rate',
    'escalated',
    'reopened',
    'CSAT',
    'satisfied',
    'NPS',
    'breaches',
    'review',
  ];
  const lines = answer.rows.map((row) => [
    row.period,
    ...(answer.groupBy ? [row.group] : []),
    String(row.volume.opened),
    String(row.volume.resolved),
    share(row.firstResponse.onTime),
    duration(row.firstResponse.meanSeconds.value),
    duration(row.firstResponse.p50Seconds.value),
    duration(row.firstResponse.p90Seconds.value),
    share(row.nextReply.onTime),
    duration(row.nextReply.meanSeconds.value),
    share(row.initialHandlingOnTime),
    share(row.resolutionOnTime),
    share(row.resolutionRate),
    share(row.escalationRate),
    share(row.reopenRate),
    mean(row.csat.mean),
    row.csat.band ? `${share(row.csat.satisfied)} ${row.csat.band}` : share(row.csat.satisfied),
    mean(row.nps.score, 1),
    String(row.breaches.total),
    mean(row.reviews.meanScore),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column]!.length)));
  const format = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd();
  return [
    `KPIs of ${answer.marketplace} per ${answer.period}${answer.groupBy ? ` and ${answer.groupBy}` : ''}, ${answer.from} to ${answer.to} (exclusive), ${answer.timeZone}`,
    format(header),
    ...lines.map(format),
  ];
}
