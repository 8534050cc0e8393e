import type { ActivityTracker } from '../activity';

/**
 * Marks one running task busy for the activity tracker, except while it is parked on the
 * clock or on a task token. `resume` is called synchronously inside the timer or callback
 * that wakes the task, so "settled" never sees a gap between a wake-up and the work it starts.
 */
export class BusyMarker {
  private end: (() => void) | undefined;

  constructor(private readonly activity: ActivityTracker) {
    this.end = activity.begin();
  }

  park(): void {
    this.end?.();
    this.end = undefined;
  }

  resume(): void {
    this.end ??= this.activity.begin();
  }
}
