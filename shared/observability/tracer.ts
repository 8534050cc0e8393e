import { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * X-Ray tracing (Powertools Tracer): each invocation a segment, each AWS SDK call a
 * subsegment. Active in Lambda, where the stack turns tracing on for every function; outside
 * Lambda (the local runtime, tests) Powertools turns itself off and this is a no-op.
 */
export const tracer = new Tracer({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'aftercare' });
