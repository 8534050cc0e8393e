import { z } from 'zod';
import { DIMENSIONS } from './kpi-ticket';
import { REPORT_PERIODS } from './periods';

/** Query string of `GET /reports/kpis`. */
export const kpiReportQuery = z.strictObject({
  marketplace: z.string().min(1).max(63).describe('the marketplace'),
  period: z.enum(REPORT_PERIODS).default('month').describe('rows per day, week (from Monday), month, quarter or year; default month'),
  from: z
    .string()
    .max(40)
    .optional()
    .describe("first local date covered (YYYY-MM-DD, or a time with an offset); default: the start of the period 11 periods before the current one"),
  to: z.string().max(40).optional().describe('first local date not covered (exclusive); default: tomorrow, so today is covered'),
  groupBy: z.enum(DIMENSIONS).optional().describe('one row per agent, tier, category, priority or channel in each period; absent: the marketplace as a whole'),
  format: z.enum(['json', 'csv']).default('json').describe('json (default) or csv: the same rows, one line each'),
});

export type KpiReportQuery = z.infer<typeof kpiReportQuery>;
