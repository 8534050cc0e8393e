import type { ActivityTracker, ParkableWork } from '../activity';

/**
 * Tells the activity tracker when an execution is busy: from its start until all of its
 * running tasks are parked (on a clock timer or a task token), and again from the moment one
 * wakes up. Whoever wakes a task calls {@link TaskActivity.wake} synchronously, inside the timer
 * or the callback, so a manual clock advance that waits for "settled" never sees a gap between
 * a wake-up and the work it starts.
 */
export class ExecutionActivity {
  /** Task handler calls of this execution that are working, not parked. */
  private working = 0;
  private release: (() => void) | undefined;
  private stopping = false;
  private finished = false;

  constructor(private readonly tracker: ActivityTracker) {
    // The library starts running states at once; busy until its first task parks.
    this.hold();
  }

  /** Starts the accounting of one task handler call, busy from now. */
  startTask(): TaskActivity {
    return new TaskActivity(this);
  }

  /** Busy until {@link finish}: the execution is ending (stop, timeout) and unwinds in the background. */
  ending(): void {
    this.stopping = true;
    this.hold();
  }

  /** The execution is over: not busy any more, whatever its tasks say. */
  finish(): void {
    this.finished = true;
    this.drop();
  }

  /** @internal A task started working or woke up. */
  taskWorking(): void {
    this.working += 1;
    this.hold();
  }

  /** @internal A task parked: idle if no other task is working. */
  taskParked(): void {
    this.working -= 1;
    if (this.working <= 0) this.drop();
  }

  /**
   * @internal A task returned. The library moves on to the next state in microtasks; one turn
   * of the event loop later it has started the next task or finished, so only then, if nothing
   * works, the execution counts as idle.
   */
  taskEnded(): void {
    this.working -= 1;
    if (this.working > 0) return;
    setImmediate(() => {
      if (this.working <= 0) this.drop();
    });
  }

  private hold(): void {
    if (!this.finished) this.release ??= this.tracker.begin();
  }

  private drop(): void {
    if (this.stopping && !this.finished) return;
    this.release?.();
    this.release = undefined;
  }
}

/** The busy state of one task handler call (one state entry, all its attempts). */
export class TaskActivity implements ParkableWork {
  private parked = false;
  private ended = false;

  constructor(private readonly execution: ExecutionActivity) {
    execution.taskWorking();
  }

  /** The task waits on the clock or on a callback; false when it was parked already. */
  park(): boolean {
    if (this.parked || this.ended) return false;
    this.parked = true;
    this.execution.taskParked();
    return true;
  }

  /** The task works again; call synchronously in whatever wakes it. */
  wake(): void {
    if (!this.parked || this.ended) return;
    this.parked = false;
    this.execution.taskWorking();
  }

  /** The task handler returned or threw. */
  end(): void {
    if (this.ended) return;
    this.wake();
    this.ended = true;
    this.execution.taskEnded();
  }
}
