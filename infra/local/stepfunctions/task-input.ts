import type { AslState } from './asl';
import { readReferencePath } from './reference-path';
import type { TaskLimits } from './task-deadlines';
import { STATES_RUNTIME, TaskFailure } from './task-failure';

/** What our handler receives from the library: see the Parameters wrapper in `rewrite-definition`. */
export interface TaskInput {
  /** The evaluated Parameters, or the effective input when the state has none. */
  readonly parameters: unknown;
  /** The effective input: the state input after InputPath. */
  readonly stateInput: unknown;
}

/** Unwraps `{"__parameters", "__input"}` as built by the rewritten Parameters. */
export function unwrapTaskInput(raw: unknown): TaskInput {
  const wrapped = (raw ?? {}) as { __parameters?: unknown; __input?: unknown };
  const stateInput = wrapped.__input ?? null;
  return { parameters: '__parameters' in wrapped ? wrapped.__parameters : stateInput, stateInput };
}

/**
 * TimeoutSeconds(Path) and HeartbeatSeconds(Path) of a Task, the paths read from the effective
 * input (and `$$` from the context), as AWS does. A path that does not give a positive integer
 * is a States.Runtime error, which fails the execution.
 */
export function taskLimits(state: AslState, stateInput: unknown, context: unknown): TaskLimits {
  const timeoutSeconds = positiveSeconds(state, 'TimeoutSeconds', stateInput, context);
  const heartbeatSeconds = positiveSeconds(state, 'HeartbeatSeconds', stateInput, context);
  return {
    ...(timeoutSeconds === undefined ? {} : { timeoutSeconds }),
    ...(heartbeatSeconds === undefined ? {} : { heartbeatSeconds }),
  };
}

function positiveSeconds(state: AslState, field: 'TimeoutSeconds' | 'HeartbeatSeconds', input: unknown, context: unknown): number | undefined {
  const path = state[`${field}Path`];
  if (state[field] === undefined && typeof path !== 'string') return undefined;
  const value = state[field] ?? readReferencePath(path as string, input, context);
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    const source = state[field] === undefined ? `${field}Path ${String(path)}` : field;
    throw new TaskFailure(STATES_RUNTIME, `${source} must give a positive integer, got ${JSON.stringify(value) ?? 'nothing'}`, 'runtime');
  }
  return value;
}
