import type { AslState } from './asl';
import { readReferencePath } from './reference-path';
import { STATES_RUNTIME, TaskFailure } from './task-failure';

const RFC_3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * When a Wait state entered at `enteredAtMs` ends, from Seconds, SecondsPath, Timestamp or
 * TimestampPath (paths read from the effective input). A path that gives no non-negative
 * integer or no RFC 3339 timestamp is a States.Runtime error, as in AWS.
 */
export function waitDueMs(state: AslState, stateInput: unknown, context: unknown, enteredAtMs: number): number {
  if (state.Seconds !== undefined || state.SecondsPath !== undefined) {
    const seconds = state.Seconds ?? readReferencePath(state.SecondsPath!, stateInput, context);
    if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0) {
      throw new TaskFailure(STATES_RUNTIME, `Wait seconds must be an integer >= 0, got ${JSON.stringify(seconds) ?? 'nothing'}`, 'runtime');
    }
    return enteredAtMs + seconds * 1000;
  }
  const timestamp = state.Timestamp ?? (state.TimestampPath === undefined ? undefined : readReferencePath(state.TimestampPath, stateInput, context));
  const dueMs = typeof timestamp === 'string' && RFC_3339.test(timestamp) ? Date.parse(timestamp) : Number.NaN;
  if (Number.isNaN(dueMs)) {
    throw new TaskFailure(STATES_RUNTIME, `Wait timestamp must be an RFC 3339 date-time, got ${JSON.stringify(timestamp) ?? 'nothing'}`, 'runtime');
  }
  return dueMs;
}
