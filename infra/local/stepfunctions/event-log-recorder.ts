import type { StateMachine } from 'aws-local-stepfunctions';
import type { ExecutionHistory } from './history';

/** One event of the library's `eventLogs`. */
export type EngineEvent = ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer Event> ? Event : never;

/** What the recorder knows of the definition. */
export interface RecorderPlan {
  /** Each state's type as written (a Wait runs as a Task but is recorded as a Wait). */
  readonly stateTypes: ReadonlyMap<string, string>;
  /** States added by the rewrite: not recorded. */
  readonly addedStates: ReadonlySet<string>;
}

const json = (value: unknown): string => JSON.stringify(value ?? null);

/**
 * Turns the library's event log into the state events of an AWS history: `<Type>StateEntered`
 * and `<Type>StateExited` with the type as written, Parallel/Map start, success and failure,
 * and Map iterations. Task events come from our handlers, execution events from the execution.
 * As in AWS, a state whose error was caught has no StateExited event (the library sends one),
 * and a retry adds no StateEntered.
 */
export class EventLogRecorder {
  /** The last Fail state entered (a failing execution takes its Error and Cause from it). */
  lastFailState: string | undefined;
  private readonly caught = new Set<string>();

  constructor(
    private readonly history: ExecutionHistory,
    private readonly plan: RecorderPlan,
  ) {}

  /** Records events until the log ends (the execution ended or was aborted). */
  async record(events: AsyncIterable<EngineEvent>): Promise<void> {
    for await (const event of events) this.recordOne(event);
  }

  private recordOne(event: EngineEvent): void {
    switch (event.type) {
      case 'StateEntered':
        return this.entered(event.state.name, event.state.type, event.state.input);
      case 'StateExited':
        return this.exited(event.state.name, event.state.type, event.state.output, event.index);
      case 'StateCaught':
        this.caught.add(stateKey(event.state.name, event.index));
        return;
      case 'StateFailed': {
        const type = this.typeOf(event.state.name, event.state.type);
        if (type === 'Parallel' || type === 'Map') this.history.add(`${type}StateFailed`);
        return;
      }
      case 'MapIterationStarted':
      case 'MapIterationSucceeded':
      case 'MapIterationFailed': {
        const detailsKey = `${event.type.charAt(0).toLowerCase()}${event.type.slice(1)}EventDetails`;
        this.history.add(event.type, { [detailsKey]: { name: event.parentState.name, index: event.index } });
        return;
      }
      default:
        // Execution events are written by the execution itself; branch and retry events have no AWS counterpart.
        return;
    }
  }

  private entered(name: string, engineType: string, input: unknown): void {
    const type = this.typeOf(name, engineType);
    if (type === 'Fail') this.lastFailState = name;
    if (this.plan.addedStates.has(name)) return;
    this.history.add(`${type}StateEntered`, { stateEnteredEventDetails: { name, input: json(input), inputDetails: { truncated: false } } });
    if (type === 'Parallel' || type === 'Map') this.history.add(`${type}StateStarted`);
  }

  private exited(name: string, engineType: string, output: unknown, index: number | undefined): void {
    if (this.caught.delete(stateKey(name, index)) || this.plan.addedStates.has(name)) return;
    const type = this.typeOf(name, engineType);
    if (type === 'Parallel' || type === 'Map') this.history.add(`${type}StateSucceeded`);
    this.history.add(`${type}StateExited`, { stateExitedEventDetails: { name, output: json(output), outputDetails: { truncated: false } } });
  }

  private typeOf(name: string, engineType: string): string {
    return this.plan.stateTypes.get(name) ?? engineType;
  }
}

function stateKey(name: string, index: number | undefined): string {
  return `${name}#${index ?? ''}`;
}
