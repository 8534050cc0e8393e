/** One event of an execution's history, in the shape GetExecutionHistory answers with. */
export interface HistoryEvent {
  readonly id: number;
  readonly previousEventId: number;
  readonly timestamp: number;
  readonly type: string;
  readonly [details: string]: unknown;
}

/** Appends AWS-shaped history events with ids and timestamps on the stack's clock. */
export class ExecutionHistory {
  readonly events: HistoryEvent[] = [];

  constructor(private readonly nowMs: () => number) {}

  add(type: string, details: Record<string, unknown> = {}): void {
    const id = this.events.length + 1;
    this.events.push({ id, previousEventId: id - 1, timestamp: this.nowMs() / 1000, type, ...details });
  }

  /** Transitions billed by Step Functions: one per state entered. */
  stateTransitions(): number {
    return this.events.filter((event) => event.type.endsWith('StateEntered')).length;
  }
}
