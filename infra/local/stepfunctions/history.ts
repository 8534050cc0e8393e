/** One event of an execution's history, in the shape GetExecutionHistory answers with. */
export interface HistoryEvent {
  readonly id: number;
  readonly previousEventId: number;
  /** Epoch seconds on the stack's clock. */
  readonly timestamp: number;
  readonly type: string;
  readonly [details: string]: unknown;
}

/**
 * The AWS-shaped history of one execution, stamped on the stack's clock. Once the execution's
 * closing event is in, later events are dropped: work still unwinding in a stopped execution
 * leaves no trace, as in AWS.
 */
export class ExecutionHistory {
  private readonly list: HistoryEvent[] = [];
  private closed = false;

  constructor(private readonly nowMs: () => number) {}

  get events(): readonly HistoryEvent[] {
    return this.list;
  }

  /** Appends an event (ignored once the history is closed). */
  add(type: string, details: Record<string, unknown> = {}): void {
    if (this.closed) return;
    const id = this.list.length + 1;
    this.list.push({ id, previousEventId: id - 1, timestamp: this.nowMs() / 1000, type, ...details });
  }

  /** Appends the execution's closing event (ExecutionSucceeded, …Failed, …Aborted, …TimedOut). */
  close(type: string, details: Record<string, unknown> = {}): void {
    this.add(type, details);
    this.closed = true;
  }
}
