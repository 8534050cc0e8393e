import type { AslMachine, AslState } from './asl';

/** Placeholder the library substitutes for `$$.Task.Token`; the task handler swaps in a real token. */
export const TASK_TOKEN_PLACEHOLDER = '__aftercare_task_token__';

/**
 * Seconds of the library's own task timer. Its timers are real `setTimeout`s (and fire at
 * once past 24.8 days), so they must never decide: ours, on the stack's clock, do.
 */
const LIBRARY_BACKSTOP_TIMEOUT_SECONDS = 2_000_000;

/** Any valid Lambda ARN: the library validates ARNs, but the state's work is done by our handler. */
const WAIT_RESOURCE = 'arn:aws:lambda:us-east-1:000000000000:function:aftercare-local-wait';

export type TaskKind =
  | { readonly kind: 'lambda-invoke'; readonly waitForTaskToken: boolean }
  | { readonly kind: 'lambda-function'; readonly functionArn: string }
  | { readonly kind: 'wait' };

/** A state the engine does the work of, with its definition as written. */
export interface HandledState {
  readonly name: string;
  readonly original: AslState;
  readonly task: TaskKind;
}

export interface RewrittenDefinition {
  /** What `aws-local-stepfunctions` runs. */
  readonly definition: AslMachine;
  /** Task and Wait states by name (names are unique across a state machine, branches included). */
  readonly handled: ReadonlyMap<string, HandledState>;
  /** The original type of every state, for history events. */
  readonly stateTypes: ReadonlyMap<string, string>;
}

/**
 * Rewrites a definition for `aws-local-stepfunctions` so that the work and the waiting
 * happen in our handlers, on the stack's clock:
 * - each Task keeps its Retry/Catch/paths but hands its evaluated Parameters *and* its raw
 *   input to our handler (`__parameters`, `__input`), which enforces TimeoutSeconds(Path)
 *   and HeartbeatSeconds(Path) against the state input, as AWS does;
 * - each Wait becomes a Task whose handler sleeps on the clock and passes its input on;
 * - the machine's TimeoutSeconds is enforced on the clock by the service.
 */
export function rewriteDefinition(machine: AslMachine): RewrittenDefinition {
  const handled = new Map<string, HandledState>();
  const stateTypes = new Map<string, string>();
  const definition = rewriteMachine(machine, handled, stateTypes);
  const { TimeoutSeconds: _timeout, ...withoutTimeout } = definition;
  return { definition: withoutTimeout as AslMachine, handled, stateTypes };
}

function rewriteMachine(machine: AslMachine, handled: Map<string, HandledState>, types: Map<string, string>): AslMachine {
  const states: Record<string, AslState> = {};
  for (const [name, state] of Object.entries(machine.States)) {
    if (types.has(name)) throw new Error(`state name "${name}" is used twice`);
    types.set(name, state.Type);
    states[name] = rewriteState(name, state, handled, types);
  }
  return { ...machine, States: states };
}

function rewriteState(name: string, state: AslState, handled: Map<string, HandledState>, types: Map<string, string>): AslState {
  switch (state.Type) {
    case 'Task':
      return rewriteTask(name, state, handled);
    case 'Wait': {
      handled.set(name, { name, original: state, task: { kind: 'wait' } });
      const { Seconds: _s, SecondsPath: _sp, Timestamp: _t, TimestampPath: _tp, Type: _type, ...rest } = state;
      return { ...rest, Type: 'Task', Resource: WAIT_RESOURCE, Parameters: { '__input.$': '$' }, TimeoutSeconds: LIBRARY_BACKSTOP_TIMEOUT_SECONDS };
    }
    case 'Parallel':
      return { ...state, Branches: (state.Branches ?? []).map((branch) => rewriteMachine(branch, handled, types)) };
    case 'Map':
      if (state.ItemProcessor) return { ...state, ItemProcessor: rewriteMachine(state.ItemProcessor, handled, types) };
      if (state.Iterator) return { ...state, Iterator: rewriteMachine(state.Iterator, handled, types) };
      return state;
    default:
      return state;
  }
}

function rewriteTask(name: string, state: AslState, handled: Map<string, HandledState>): AslState {
  for (const rule of [...(state.Retry ?? []), ...(state.Catch ?? [])]) {
    if (rule.ErrorEquals.includes('States.TaskFailed')) {
      // The library cannot tell our timeouts from other failures for this wildcard; name errors instead.
      throw new Error(`state "${name}": list error names instead of States.TaskFailed (the local engine cannot exclude States.Timeout from it)`);
    }
  }
  handled.set(name, { name, original: state, task: taskKind(name, state.Resource ?? '') });
  const {
    TimeoutSeconds: _timeout,
    TimeoutSecondsPath: _timeoutPath,
    HeartbeatSeconds: _heartbeat,
    HeartbeatSecondsPath: _heartbeatPath,
    Parameters: parameters,
    ...rest
  } = state;
  const wrapped = parameters === undefined ? { '__input.$': '$' } : { __parameters: parameters, '__input.$': '$' };
  return { ...rest, Parameters: wrapped, TimeoutSeconds: LIBRARY_BACKSTOP_TIMEOUT_SECONDS };
}

function taskKind(name: string, resource: string): TaskKind {
  if (resource === 'arn:aws:states:::lambda:invoke') return { kind: 'lambda-invoke', waitForTaskToken: false };
  if (resource === 'arn:aws:states:::lambda:invoke.waitForTaskToken') return { kind: 'lambda-invoke', waitForTaskToken: true };
  if (/^arn:aws:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9$_-]+)?$/.test(resource)) {
    return { kind: 'lambda-function', functionArn: resource };
  }
  throw new Error(`state "${name}": resource "${resource}" is not supported locally (Lambda functions and lambda:invoke[.waitForTaskToken] are)`);
}
