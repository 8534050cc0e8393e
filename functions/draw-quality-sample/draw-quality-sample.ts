import type { Clock } from '@shared/clock';
import type { MarketplaceRegistry } from '@shared/config/marketplaces';
import { drawSample } from '@shared/quality/draw';
import { qualityOf } from '@shared/quality/quality-of';
import type { QualityDraw, QualityStore } from '@shared/quality/quality-store';
import { reviewIdOf } from '@shared/quality/review-id';
import { UNASSIGNED } from '@shared/reports/kpi-ticket';
import { nextPeriodStart, periodStart, periodStartBefore } from '@shared/reports/periods';
import { marketplaceTimeZone } from '@shared/reports/time-zone';

export interface DrawQualitySampleDeps {
  readonly store: QualityStore;
  readonly registry: () => Promise<MarketplaceRegistry>;
  readonly clock: Clock;
  /** A fresh random seed for each draw. */
  readonly seed: () => string;
}

/**
 * A period is drawn once it has been over this long, so the last complaints closed in it
 * have reached the aggregator (the audit stream is read within seconds).
 */
export const DRAW_GRACE_MS = 15 * 60_000;
/** Ended periods looked at by each run: a run or two that failed loses no draw. */
const LOOKBACK_PERIODS = 3;

/**
 * Scheduled: for each marketplace, draws the quality spot-checks of each ended period not
 * drawn yet (default: weeks from Monday, 5 % of each agent's closed complaints, at least
 * one). The draw is recorded first (seed, what it picked from, what it picked), then one
 * pending review per picked complaint; a run cut short in between is finished by the next
 * one from the record, so a period is drawn once and never twice.
 */
export function createDrawQualitySample(deps: DrawQualitySampleDeps) {
  return async function drawQualitySample(): Promise<{ drawn: { marketplace: string; period: string; start: string; reviews: number }[] }> {
    const registry = await deps.registry();
    const drawn: { marketplace: string; period: string; start: string; reviews: number }[] = [];
    for (const marketplace of Object.keys(registry.marketplaces).sort()) {
      const { period, share } = qualityOf(registry, marketplace);
      const zone = marketplaceTimeZone(registry, marketplace);
      const current = periodStart(period, deps.clock.nowMs() - DRAW_GRACE_MS, zone);
      for (let back = LOOKBACK_PERIODS; back >= 1; back -= 1) {
        const start = periodStartBefore(period, current, back);
        const existing = await deps.store.draw(marketplace, start, period);
        if (existing?.complete) continue;
        const draw = existing ?? (await newDraw(deps, { marketplace, period, start, end: nextPeriodStart(period, start), timeZone: zone, share }));
        for (const agent of draw.agents) {
          for (const ticketId of agent.drawn) {
            const id = { marketplace, period, start, ticketId };
            await deps.store.addReview({ ...id, id: reviewIdOf(id), agent: agent.agent, status: 'pending', drawnAt: draw.drawnAt });
          }
        }
        await deps.store.markDrawComplete(draw);
        drawn.push({ marketplace, period, start, reviews: draw.agents.reduce((sum, agent) => sum + agent.drawn.length, 0) });
      }
    }
    return { drawn };
  };
}

async function newDraw(deps: DrawQualitySampleDeps, of: Pick<QualityDraw, 'marketplace' | 'period' | 'start' | 'end' | 'timeZone' | 'share'>): Promise<QualityDraw> {
  const candidates = await deps.store.closedBetween(of.marketplace, of.start, of.end);
  const seed = deps.seed();
  const draw: QualityDraw = { ...of, seed, drawnAt: deps.clock.now().toISOString(), agents: drawSample(candidates, of.share, seed, UNASSIGNED), complete: false };
  if (await deps.store.recordDraw(draw)) return draw;
  // Another run recorded the period's draw first: that one stands.
  return (await deps.store.draw(of.marketplace, of.start, of.period))!;
}
