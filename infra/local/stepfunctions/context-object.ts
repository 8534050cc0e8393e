import { randomUUID } from 'node:crypto';

/** The context object (`$$`) of an execution, as AWS fills it. */
export interface ExecutionContext {
  readonly Execution: {
    readonly Id: string;
    readonly Input: unknown;
    readonly Name: string;
    readonly RoleArn: string;
    readonly StartTime: string;
    readonly RedriveCount: number;
  };
  readonly StateMachine: { readonly Id: string; readonly Name: string };
}

/** The context a Task state's paths (TimeoutSecondsPath…) are read against, with its State field. */
export interface TaskContext extends ExecutionContext {
  readonly State: { readonly Name: string; readonly EnteredTime: string; readonly RetryCount: number };
}

/**
 * What `$$.Task.Token` evaluates to inside the library, which generates no tokens. Unique per
 * process, so no real value is ever mistaken for it; our task handler swaps in the real token.
 */
export const TASK_TOKEN_PLACEHOLDER = `__aftercare_local_task_token_${randomUUID()}__`;

/**
 * The library sets `$$.Execution.StartTime` from the machine's real time and `$$.Execution.Input`
 * to a Parallel branch's or Map iteration's own input, so paths to them are rewritten to these
 * fields, which it leaves alone and we fill from the execution on the stack's clock.
 */
const CONTEXT_ALIASES: ReadonlyArray<readonly [RegExp, string]> = [
  [/\$\$\.Execution\.StartTime\b/g, '$$$$.Execution.LocalStartTime'],
  [/\$\$\.Execution\.Input\b/g, '$$$$.Execution.LocalInput'],
];

/** The context handed to the library: ours, plus the aliased fields and the token placeholder. */
export function engineContext(context: ExecutionContext): Record<string, unknown> {
  return {
    ...context,
    Execution: { ...context.Execution, LocalStartTime: context.Execution.StartTime, LocalInput: context.Execution.Input },
    Task: { Token: TASK_TOKEN_PLACEHOLDER },
  };
}

/**
 * Rewrites context paths that the library would answer wrongly (see {@link engineContext}) in
 * every path-valued field of a definition: keys ending in `.$` or `Path`, and `Variable`.
 */
export function aliasContextPaths<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item: unknown) => aliasContextPaths(item)) as T;
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>).map(([key, field]) => {
    const pathValued = key.endsWith('.$') || key.endsWith('Path') || key === 'Variable';
    if (pathValued && typeof field === 'string') {
      return [key, CONTEXT_ALIASES.reduce((text, [pattern, replacement]) => text.replace(pattern, replacement), field)];
    }
    return [key, aliasContextPaths(field)];
  });
  return Object.fromEntries(entries) as T;
}

/** Puts the real token wherever the evaluated Parameters hold the placeholder (alone or inside a string). */
export function withTaskToken(value: unknown, token: string): unknown {
  if (typeof value === 'string') return value.includes(TASK_TOKEN_PLACEHOLDER) ? value.replaceAll(TASK_TOKEN_PLACEHOLDER, token) : value;
  if (Array.isArray(value)) return value.map((item) => withTaskToken(item, token));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, withTaskToken(field, token)]));
}
