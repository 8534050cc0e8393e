import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { RouteSpec } from '@infra/resources';
import type { ActivityTracker } from '../activity';
import type { DevJwtKey } from '../dev-jwt';
import { apiGatewayEvent, httpAnswerFrom, type HttpAnswer } from './api-gateway-event';
import { MalformedPathError, RouteTable, type MatchedRoute } from './route-table';

/** API Gateway refuses request bodies above 10 MB; so does the local server. */
const MAX_REQUEST_BYTES = 10 * 1024 * 1024;

/** A route of the local runtime itself (`/_local/*`), never part of the deployed API. */
export type LocalRoute = (request: { method: string; path: string; body: Buffer }) => Promise<HttpAnswer | undefined>;

export interface LocalHttpServerOptions {
  readonly routes: readonly RouteSpec[];
  readonly invoke: (route: RouteSpec, event: unknown) => Promise<unknown>;
  readonly localRoutes: LocalRoute;
  /** Files outside the API (the ops console); `undefined` for a path that is not theirs. */
  readonly staticFiles?: (method: string, path: string) => Promise<HttpAnswer | undefined>;
  readonly jwt: DevJwtKey;
  readonly activity: ActivityTracker;
  readonly nowMs: () => number;
  readonly onError: (error: unknown) => void;
}

/** JSON answer helper for the server's own responses. */
export function jsonAnswer(statusCode: number, body: unknown): HttpAnswer {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(body)) };
}

/**
 * The local stand-in for the API Gateway HTTP API: matches the description's routes, checks
 * bearer tokens on `jwt` routes as the JWT authorizer does (401 before the handler runs),
 * calls the handler with a payload 2.0 event and turns its result into the response.
 */
export function createLocalHttpServer(options: LocalHttpServerOptions): Server {
  const table = new RouteTable(options.routes);

  async function answer(request: IncomingMessage): Promise<HttpAnswer> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const method = request.method ?? 'GET';
    // Control routes are not work of the stack: `advance` waits for the stack to settle,
    // so counting it as busy would wait for itself.
    if (url.pathname.startsWith('/_local/')) {
      const body = await readBody(request);
      if (body === 'too-large') return jsonAnswer(413, { message: 'Request Entity Too Large' });
      const local = await options.localRoutes({ method, path: url.pathname, body });
      return local ?? jsonAnswer(404, { message: 'Not Found' });
    }
    const file = await options.staticFiles?.(method, url.pathname);
    if (file) return file;
    return options.activity.run(() => answerApi(request, url, method));
  }

  async function answerApi(request: IncomingMessage, url: URL, method: string): Promise<HttpAnswer> {
    const body = await readBody(request);
    if (body === 'too-large') return jsonAnswer(413, { message: 'Request Entity Too Large' });
    let matched: MatchedRoute | undefined;
    try {
      matched = table.match(method, url.pathname);
    } catch (error) {
      if (error instanceof MalformedPathError) return jsonAnswer(400, { message: `Bad Request: ${error.message}` });
      throw error;
    }
    if (!matched) return jsonAnswer(404, { message: 'Not Found' });

    let claims: Record<string, string> | undefined;
    if (matched.route.auth === 'jwt') {
      claims = await options.jwt.verify(request.headers.authorization);
      if (!claims) return jsonAnswer(401, { message: 'Unauthorized' });
    }
    const event = apiGatewayEvent({ request, url, body, matched, claims, nowMs: options.nowMs() });
    try {
      return httpAnswerFrom(await options.invoke(matched.route, event));
    } catch (error) {
      // An unhandled handler error is what API Gateway reports as a 500 Internal Server Error.
      options.onError(error);
      return jsonAnswer(500, { message: 'Internal Server Error' });
    }
  }

  return createServer((request: IncomingMessage, response: ServerResponse) => {
    answer(request)
      .catch((error: unknown) => {
        options.onError(error);
        return jsonAnswer(500, { message: 'Internal Server Error' });
      })
      .then((result) => {
        response.writeHead(result.statusCode, { ...result.headers, 'content-length': String(result.body.length) });
        response.end(result.body);
      });
  });
}

async function readBody(request: IncomingMessage): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_REQUEST_BYTES) return 'too-large';
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
