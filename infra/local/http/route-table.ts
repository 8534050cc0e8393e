import type { RouteSpec } from '@infra/resources';

/**
 * A path parameter whose percent-encoding does not decode (`%E0%A4%A`, a lone `%`, bytes
 * that are not UTF-8). It is the caller's error: the local server answers it 400 before any
 * handler runs, never 500.
 */
export class MalformedPathError extends Error {
  constructor(readonly segment: string) {
    super(`malformed percent-encoding in path segment "${segment.slice(0, 100)}"`);
  }
}

export interface MatchedRoute {
  readonly route: RouteSpec;
  readonly routeKey: string;
  readonly pathParameters: Record<string, string>;
}

interface CompiledRoute {
  readonly route: RouteSpec;
  readonly pattern: RegExp;
  readonly parameterNames: readonly string[];
}

/** Matches requests to the HTTP API routes of the resource description, as API Gateway does. */
export class RouteTable {
  private readonly compiled: CompiledRoute[];

  constructor(routes: readonly RouteSpec[]) {
    this.compiled = routes.map((route) => {
      const parameterNames: string[] = [];
      const source = route.path
        .split('/')
        .map((segment) => {
          const parameter = /^\{([A-Za-z0-9_]+)\}$/.exec(segment);
          if (!parameter) return segment.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
          parameterNames.push(parameter[1]!);
          return '([^/]+)';
        })
        .join('/');
      return { route, pattern: new RegExp(`^${source}$`), parameterNames };
    });
  }

  /** The route `path` names, with its parameters decoded; throws {@link MalformedPathError} when one does not decode. */
  match(method: string, path: string): MatchedRoute | undefined {
    for (const { route, pattern, parameterNames } of this.compiled) {
      if (route.method !== method) continue;
      const found = pattern.exec(path);
      if (!found) continue;
      const pathParameters = Object.fromEntries(
        parameterNames.map((name, index) => [name, decodePathSegment(found[index + 1]!)]),
      );
      return { route, routeKey: `${route.method} ${route.path}`, pathParameters };
    }
    return undefined;
  }
}

function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new MalformedPathError(segment);
  }
}
