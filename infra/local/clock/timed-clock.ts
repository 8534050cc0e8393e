import { MAX_TIMER_DELAY_MS, sleepUntilOn, type LocalClock, type TimerHandle } from './local-clock';

/**
 * Real time, or real time sped up N times (`--clock scaled:N`, so a 24 h deadline passes in
 * 24 h / N). Timers are real `setTimeout`s, re-armed in steps so that waits longer than
 * Node's timer limit still fire on time rather than at once.
 */
export class TimedClock implements LocalClock {
  readonly mode: 'real' | 'scaled';
  private readonly originMs: number;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly speed = 1, startRealMs: number = Date.now()) {
    if (!(speed >= 1) || !Number.isFinite(speed)) {
      throw new RangeError(`clock speed must be a finite number >= 1, got ${speed}`);
    }
    this.mode = speed === 1 ? 'real' : 'scaled';
    this.originMs = startRealMs;
  }

  nowMs(): number {
    return this.originMs + (Date.now() - this.originMs) * this.speed;
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  schedule(dueMs: number, fire: () => void): TimerHandle {
    let current: NodeJS.Timeout | undefined;
    let cancelled = false;
    const arm = (): void => {
      const realDelay = Math.max(0, Math.ceil((dueMs - this.nowMs()) / this.speed));
      current = setTimeout(() => {
        this.timers.delete(current!);
        if (cancelled) return;
        if (this.nowMs() < dueMs) {
          arm();
          return;
        }
        fire();
      }, Math.min(realDelay, MAX_TIMER_DELAY_MS));
      this.timers.add(current);
    };
    arm();
    return {
      cancel: () => {
        cancelled = true;
        if (current) {
          clearTimeout(current);
          this.timers.delete(current);
        }
      },
    };
  }

  sleepUntil(dueMs: number, signal?: AbortSignal): Promise<void> {
    return sleepUntilOn(this, dueMs, signal);
  }

  dispose(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
