import { randomUUID } from 'node:crypto';
import type { LocalClock, TimerHandle } from './clock/local-clock';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from './aws/local-aws-environment';

/**
 * The local stand-in for EventBridge rate schedules: runs a job every `everyMinutes` on the
 * stack's clock, with the Scheduled Event AWS sends. When the manual clock jumps over many
 * periods, the job runs once more at the end of the jump rather than once per missed
 * period, as a scheduler that was asleep would catch up.
 */
export class LocalScheduler {
  private readonly timers = new Set<TimerHandle>();
  private stopped = false;

  constructor(private readonly clock: LocalClock) {}

  every(name: string, everyMinutes: number, run: (event: unknown) => Promise<unknown>, onError: (error: unknown) => void): void {
    const periodMs = everyMinutes * 60_000;
    const arm = (dueMs: number) => {
      const timer = this.clock.schedule(dueMs, () => {
        this.timers.delete(timer);
        if (this.stopped) return;
        const firedAt = this.clock.nowMs();
        run(scheduledEvent(name, firedAt)).catch(onError);
        const jumpEnd = this.clock.advanceTargetMs?.();
        arm(jumpEnd !== undefined ? Math.max(firedAt + periodMs, jumpEnd) : firedAt + periodMs);
      });
      this.timers.add(timer);
    };
    arm(this.clock.nowMs() + periodMs);
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) timer.cancel();
    this.timers.clear();
  }
}

function scheduledEvent(name: string, atMs: number) {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: LOCAL_ACCOUNT_ID,
    time: new Date(atMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: LOCAL_REGION,
    resources: [`arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:rule/${name}`],
    detail: {},
  };
}
