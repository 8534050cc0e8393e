import { z } from 'zod';

/** How often a quality draw is made, in the marketplace's time zone (weeks from Monday). */
export const DRAW_PERIODS = ['day', 'week', 'month'] as const;
export type DrawPeriod = (typeof DRAW_PERIODS)[number];

/** The handbook's defaults: each week, 5 % of each agent's closed complaints. */
export const DEFAULT_QUALITY = { period: 'week', share: 0.05 } as const satisfies { period: DrawPeriod; share: number };

/** A marketplace's quality spot-checks (`quality` in its configuration). */
export const qualityConfigSchema = z.strictObject({
  period: z.enum(DRAW_PERIODS).default(DEFAULT_QUALITY.period),
  share: z.number().gt(0, 'quality.share must be above 0').max(1, 'quality.share is a share: at most 1').default(DEFAULT_QUALITY.share),
});

export type QualityConfig = z.infer<typeof qualityConfigSchema>;
