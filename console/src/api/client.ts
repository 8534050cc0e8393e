import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';
import type { ApiError } from './types';

export type ApiClient = ReturnType<typeof createApiClient>;

/**
 * The typed API client: paths, parameters and request bodies come from the OpenAPI
 * document (schema.d.ts is generated from it at build), so a renamed route or field fails
 * the console's type check. Every request carries the session's bearer token; a 401 signs out.
 */
export function createApiClient(baseUrl: string, token: string, onUnauthorized: () => void) {
  const auth: Middleware = {
    onRequest({ request }) {
      request.headers.set('authorization', `Bearer ${token}`);
      return request;
    },
    onResponse({ response }) {
      if (response.status === 401) onUnauthorized();
      return response;
    },
  };
  const client = createClient<paths>({ baseUrl });
  client.use(auth);
  return client;
}

/** An API answer that was not 2xx, with the body the API sent. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiError,
  ) {
    super(body.message || `HTTP ${status}`);
  }
}

/** The body of a 2xx answer as `T` (answer shapes are typed in types.ts), or an ApiFailure. */
export function bodyOf<T>(result: { data?: unknown; error?: unknown; response: Response }): T {
  if (!result.response.ok) throw new ApiFailure(result.response.status, (result.error ?? { message: result.response.statusText }) as ApiError);
  return result.data as T;
}
