import { StepFunctionsApiError } from './api-error';

/** A request body as it came over the wire: checked field by field. */
export type ApiRequest = Readonly<Record<string, unknown>>;

function invalid(message: string): StepFunctionsApiError {
  return new StepFunctionsApiError('ValidationException', message);
}

/** A string field the operation requires. */
export function requiredString(request: ApiRequest, field: string): string {
  const value = request[field];
  if (typeof value !== 'string' || value.length === 0) throw invalid(`1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must not be null`);
  return value;
}

/** A string field that may be absent. */
export function optionalString(request: ApiRequest, field: string, maxLength = Number.POSITIVE_INFINITY): string | undefined {
  const value = request[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(`Value at '${field}' must be a string`);
  if (value.length > maxLength) throw invalid(`Value at '${field}' failed to satisfy constraint: Member must have length less than or equal to ${maxLength}`);
  return value;
}

/** A boolean field that may be absent. */
export function optionalBoolean(request: ApiRequest, field: string): boolean | undefined {
  const value = request[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw invalid(`Value at '${field}' must be a boolean`);
  return value;
}

/** `maxResults`: absent or 0 means the default page size; at most 1000. */
export function pageSize(request: ApiRequest, defaultSize = 100): number {
  const value = request.maxResults;
  if (value === undefined || value === null || value === 0) return defaultSize;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 1000) {
    throw invalid(`Value at 'maxResults' failed to satisfy constraint: Member must be an integer from 0 to 1000`);
  }
  return value;
}
