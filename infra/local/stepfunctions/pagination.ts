import { StepFunctionsApiError } from './api-error';

/**
 * One page of a list, and the token of the next. The token names the last item returned, so
 * pages stay right while the list grows (new executions come first, events are appended).
 */
export function pageOf<T>(items: readonly T[], keyOf: (item: T) => string, size: number, nextToken: string | undefined): { page: T[]; nextToken?: string } {
  let start = 0;
  if (nextToken !== undefined) {
    const after = decode(nextToken);
    const index = items.findIndex((item) => keyOf(item) === after);
    if (index < 0) throw new StepFunctionsApiError('InvalidToken', 'Invalid Token: the nextToken does not belong to this list');
    start = index + 1;
  }
  const page = items.slice(start, start + size);
  const last = page.at(-1);
  return start + size < items.length && last !== undefined ? { page, nextToken: Buffer.from(keyOf(last)).toString('base64url') } : { page };
}

function decode(token: string): string {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  if (!text || Buffer.from(text).toString('base64url') !== token) {
    throw new StepFunctionsApiError('InvalidToken', 'Invalid Token: the nextToken is malformed');
  }
  return text;
}
