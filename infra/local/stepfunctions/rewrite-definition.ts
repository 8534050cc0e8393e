import type { AslCatcher, AslMachine, AslState } from './asl';
import { aliasContextPaths } from './context-object';
import { firstMatchingRule } from './error-matching';
import { STATES_HEARTBEAT_TIMEOUT, STATES_TASK_FAILED, STATES_TIMEOUT, type FailureKind } from './task-failure';
import { parseTaskResource, type TaskResource } from './task-resources';

/**
 * The library's own task timer is a real `setTimeout` that fires at once past 24.8 days, so it
 * is set beyond any wait of a test or a local run but below Node's limit, and never decides:
 * our handlers enforce the real timeouts on the stack's clock.
 */
const LIBRARY_BACKSTOP_TIMEOUT_SECONDS = 2_000_000;

/** Resource of the Task a Wait state becomes; any valid ARN, since our handler does the work. */
const WAIT_RESOURCE = 'arn:aws:lambda:us-east-1:000000000000:function:aftercare-local-wait';

/** Prefix of the Fail states added to re-raise a timeout that no catcher of the task handles. */
const RETHROW_STATE_PREFIX = '__aftercare_rethrow__';

/** A Task state whose work our handler does. */
export interface HandledTask {
  readonly kind: 'task';
  readonly name: string;
  /** The state as written: its timeouts, Retry and Parameters are read from here. */
  readonly original: AslState;
  readonly resource: TaskResource;
  /**
   * The name a missed heartbeat fails with: `States.HeartbeatTimeout` when the state's Retry or
   * Catch tells it apart, otherwise `States.Timeout` (which is how AWS reports both).
   */
  readonly heartbeatErrorName: string;
}

/** A Wait state, run as a Task whose handler sleeps on the stack's clock. */
export interface HandledWait {
  readonly kind: 'wait';
  readonly name: string;
  readonly original: AslState;
}

export type HandledState = HandledTask | HandledWait;

/** A definition made ready for `aws-local-stepfunctions`, and what our handlers need to know about it. */
export interface RewrittenDefinition {
  /** What the library runs. */
  readonly engineDefinition: AslMachine;
  /** Task and Wait states by name (names are unique across a whole state machine, branches included). */
  readonly handled: ReadonlyMap<string, HandledState>;
  /** The type each state has as written, for history events. Added states are absent. */
  readonly stateTypes: ReadonlyMap<string, string>;
  /** States added by the rewrite, hidden from the history. */
  readonly addedStates: ReadonlySet<string>;
  /** Fail states by name, added ones included: a failed execution reads its Error and Cause from them. */
  readonly failStates: ReadonlyMap<string, AslState>;
  /** Parallel and Map states with a Retry field: the library retries those, without a pause. */
  readonly libraryRetriedStates: readonly string[];
  /** The machine's TimeoutSeconds, enforced on the stack's clock. */
  readonly timeoutSeconds?: number;
}

/**
 * Rewrites a (validated) definition for `aws-local-stepfunctions` so that all work and all
 * waiting happen in our handlers, on the stack's clock:
 * - a Task keeps its paths, ResultSelector and Catch, but its Parameters are wrapped so the
 *   handler receives both the evaluated Parameters and the effective input
 *   (`{"__parameters": …, "__input.$": "$"}`), which TimeoutSecondsPath and
 *   HeartbeatSecondsPath are read from, as in AWS; its timeouts are replaced by a backstop
 *   and its Retry is done by the handler (pauses on the clock);
 * - Catch gets routes for timeouts in front, because the library lets `States.TaskFailed`
 *   match any error not created by its own timer, and knows nothing of heartbeats;
 * - a Wait becomes a Task whose handler sleeps until the due time and passes its input on;
 * - the machine's TimeoutSeconds is removed (the execution enforces it on the clock).
 */
export function rewriteDefinition(machine: AslMachine): RewrittenDefinition {
  const context: RewriteContext = { handled: new Map(), stateTypes: new Map(), addedStates: new Set(), failStates: new Map(), libraryRetried: [] };
  const { TimeoutSeconds: timeoutSeconds, ...rewritten } = rewriteMachine(machine, context);
  return {
    engineDefinition: aliasContextPaths(rewritten) as AslMachine,
    handled: context.handled,
    stateTypes: context.stateTypes,
    addedStates: context.addedStates,
    failStates: context.failStates,
    libraryRetriedStates: context.libraryRetried,
    ...(timeoutSeconds === undefined ? {} : { timeoutSeconds }),
  };
}

interface RewriteContext {
  readonly handled: Map<string, HandledState>;
  readonly stateTypes: Map<string, string>;
  readonly addedStates: Set<string>;
  readonly failStates: Map<string, AslState>;
  readonly libraryRetried: string[];
}

function rewriteMachine(machine: AslMachine, context: RewriteContext): AslMachine {
  const states: Record<string, AslState> = {};
  for (const [name, state] of Object.entries(machine.States)) {
    if (context.stateTypes.has(name)) throw new Error(`state "${name}": the name is used more than once in the state machine`);
    rejectUnsupportedFields(name, state);
    context.stateTypes.set(name, state.Type);
    Object.assign(states, rewriteState(name, state, context));
  }
  return { ...machine, States: states };
}

/** The rewritten state under its name, plus any state added for it. */
function rewriteState(name: string, state: AslState, context: RewriteContext): Record<string, AslState> {
  switch (state.Type) {
    case 'Task':
      return rewriteTask(name, state, context);
    case 'Wait':
      context.handled.set(name, { kind: 'wait', name, original: state });
      return { [name]: waitAsTask(state) };
    case 'Fail':
      context.failStates.set(name, state);
      return { [name]: state };
    case 'Parallel':
      if (state.Retry) context.libraryRetried.push(name);
      return { [name]: { ...state, Branches: (state.Branches ?? []).map((branch) => rewriteMachine(branch, context)) } };
    case 'Map':
      if (state.Retry) context.libraryRetried.push(name);
      if (state.ItemProcessor) return { [name]: { ...state, ItemProcessor: rewriteMachine(state.ItemProcessor, context) } };
      if (state.Iterator) return { [name]: { ...state, Iterator: rewriteMachine(state.Iterator, context) } };
      return { [name]: state };
    default:
      return { [name]: state };
  }
}

function rewriteTask(name: string, state: AslState, context: RewriteContext): Record<string, AslState> {
  const resource = parseTaskResource(name, state.Resource);
  const rules = [...(state.Retry ?? []), ...(state.Catch ?? [])];
  const heartbeatErrorName = rules.some((rule) => rule.ErrorEquals.includes(STATES_HEARTBEAT_TIMEOUT)) ? STATES_HEARTBEAT_TIMEOUT : STATES_TIMEOUT;
  context.handled.set(name, { kind: 'task', name, original: state, resource, heartbeatErrorName });

  const {
    TimeoutSeconds: _timeout,
    TimeoutSecondsPath: _timeoutPath,
    HeartbeatSeconds: _heartbeat,
    HeartbeatSecondsPath: _heartbeatPath,
    Retry: _retry,
    Catch: catchers,
    Parameters: parameters,
    ...rest
  } = state;
  const task: Record<string, unknown> = {
    ...rest,
    Parameters: parameters === undefined ? { '__input.$': '$' } : { __parameters: parameters, '__input.$': '$' },
    TimeoutSeconds: LIBRARY_BACKSTOP_TIMEOUT_SECONDS,
  };
  const added: Record<string, AslState> = {};
  if (catchers) {
    const timeouts: { errorName: string; kind: FailureKind }[] = [{ errorName: STATES_TIMEOUT, kind: 'timeout' }];
    if (heartbeatErrorName !== STATES_TIMEOUT) timeouts.push({ errorName: heartbeatErrorName, kind: 'heartbeat' });
    const routes = timeouts.flatMap(({ errorName, kind }) => {
      const index = firstMatchingRule(catchers, { name: errorName, kind });
      const catcher = catchers[index];
      if (catcher) return [{ ...catcher, ErrorEquals: [errorName] }];
      // The library would let States.TaskFailed catch the timeout; AWS would not: re-raise it instead.
      if (!catchers.some((rule) => rule.ErrorEquals.includes(STATES_TASK_FAILED))) return [];
      const rethrow = `${RETHROW_STATE_PREFIX}${name}`;
      const failState: AslState = { Type: 'Fail', ErrorPath: '$.Error', CausePath: '$.Cause' };
      added[rethrow] = failState;
      context.addedStates.add(rethrow);
      context.failStates.set(rethrow, failState);
      return [{ ErrorEquals: [errorName], Next: rethrow }];
    });
    task.Catch = [...routes, ...catchers] satisfies AslCatcher[];
  }
  return { [name]: task as AslState, ...added };
}

function waitAsTask(state: AslState): AslState {
  const { Seconds: _s, SecondsPath: _sp, Timestamp: _t, TimestampPath: _tp, Type: _type, ...rest } = state;
  return { ...rest, Type: 'Task', Resource: WAIT_RESOURCE, Parameters: { '__input.$': '$' }, TimeoutSeconds: LIBRARY_BACKSTOP_TIMEOUT_SECONDS };
}

/** Fields the library does not implement: refused rather than silently ignored. */
function rejectUnsupportedFields(name: string, state: AslState): void {
  if (state.QueryLanguage === 'JSONata') throw new Error(`state "${name}": JSONata is not supported by the local Step Functions service`);
  for (const field of ['Assign', 'Arguments', 'Output']) {
    if (field in state) throw new Error(`state "${name}": the ${field} field is not supported by the local Step Functions service`);
  }
}
