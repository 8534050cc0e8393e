import { JSONPath } from 'jsonpath-plus';

/**
 * Evaluates an ASL reference path (`$.a.b`) against the state input, or a context path
 * (`$$.Execution.Id`) against the context object, returning the single value.
 */
export function readPath(path: string, input: unknown, context: unknown): unknown {
  const onContext = path.startsWith('$$');
  return JSONPath({ path: onContext ? path.slice(1) : path, json: (onContext ? context : input) as object, wrap: false });
}
