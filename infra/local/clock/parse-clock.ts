import type { LocalClock } from './local-clock';
import { ManualClock } from './manual-clock';
import { TimedClock } from './timed-clock';

/** Builds the clock named by `--clock`: `real`, `scaled:N` or `manual`. */
export function createClock(spec: string): LocalClock {
  if (spec === 'real') return new TimedClock(1);
  if (spec === 'manual') return new ManualClock();
  const scaled = /^scaled:(\d+(?:\.\d+)?)$/.exec(spec);
  if (scaled) {
    const speed = Number(scaled[1]);
    if (speed >= 1) return new TimedClock(speed);
  }
  throw new Error(`--clock must be "real", "scaled:N" (N >= 1) or "manual", got "${spec}"`);
}
