import { JSONPath } from 'jsonpath-plus';

/**
 * Evaluates an ASL reference path: `$…` against the state input, `$$…` against the context
 * object. Answers undefined when the path points at nothing.
 */
export function readReferencePath(path: string, input: unknown, context: unknown): unknown {
  const onContext = path.startsWith('$$');
  const json = (onContext ? context : input) ?? null;
  return JSONPath({ path: onContext ? path.slice(1) : path, json: json as object, wrap: false }) as unknown;
}
