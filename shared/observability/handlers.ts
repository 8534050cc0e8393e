import middy, { type MiddlewareObj } from '@middy/core';
import { metrics } from './metrics';

/**
 * Publishes what the invocation counted (one embedded-metric-format line) when it ends, also
 * when it fails. Powertools' own `logMetrics` would warn on every invocation that counted
 * nothing, which is most of them.
 */
export function publishMetrics<Event, Result>(): MiddlewareObj<Event, Result> {
  const publish = async () => {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  };
  return { after: publish, onError: publish };
}

/**
 * Wraps a scheduled function (EventBridge in AWS, the stack's clock locally) with the
 * middleware every handler shares. middy's early-timeout abort is off, as for the HTTP handlers.
 */
export function scheduledHandler<Result>(handler: (event: unknown) => Promise<Result>) {
  return middy<unknown, Result>((event: unknown) => handler(event), { timeoutEarlyInMillis: 0 }).use(publishMetrics<unknown, Result>());
}
