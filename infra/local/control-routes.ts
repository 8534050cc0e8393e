import { z } from 'zod';
import { ROLES } from '@shared/auth/caller';
import type { ActivityTracker } from './activity';
import type { LocalClock } from './clock/local-clock';
import { ClockBackwardsError, ManualClock } from './clock/manual-clock';
import type { DevJwtKey } from './dev-jwt';
import type { InjectedFaults } from './stepfunctions';
import { jsonAnswer, type LocalRoute } from './http/local-http-server';

const advanceSchema = z.object({ seconds: z.number().finite().min(0) });
const setSchema = z.object({ at: z.iso.datetime({ offset: true }) });
const faultSchema = z.strictObject({
  service: z.literal('stepfunctions'),
  operation: z.enum(['StartExecution', 'SendTaskSuccess', 'SendTaskFailure', 'DescribeExecution', 'ListExecutions', 'StopExecution']),
  times: z.number().int().min(1).max(100),
});
const tokenSchema = z.object({
  role: z.enum(ROLES),
  marketplace: z.string().min(1).optional(),
  marketplaces: z.array(z.string().min(1)).optional(),
  subject: z.string().min(1).optional(),
});

/**
 * The local control contract (`/_local/*`), for tests, demos and outside tools. It exists
 * only in the local runtime, never in the CDK stack:
 * - `GET /_local/clock` → `{"now", "mode"}`
 * - `POST /_local/clock/advance` `{"seconds"}` (manual clock) → fires due timers in order,
 *   answers once the work they started has settled, with the new `now`
 * - `POST /_local/clock/set` `{"at": ISO}` (manual clock) → the same, up to that moment;
 *   forward only (409 when the clock is already past it)
 * - `POST /_local/tokens` `{"role", "marketplace"}` → `{"token"}`, a dev JWT
 * - `POST /_local/faults` `{"service": "stepfunctions", "operation", "times"}` → 200: the next
 *   `times` calls of that Step Functions operation fail with 503 (the SDK makes 3 attempts per call)
 */
export function createControlRoutes(deps: { clock: LocalClock; activity: ActivityTracker; jwt: DevJwtKey; faults: InjectedFaults }): LocalRoute {
  return async ({ method, path, body }) => {
    const route = `${method} ${path}`;
    if (route === 'GET /_local/clock') {
      return jsonAnswer(200, { now: deps.clock.now().toISOString(), mode: deps.clock.mode });
    }
    if (route === 'POST /_local/clock/advance' || route === 'POST /_local/clock/set') {
      const clock = deps.clock;
      if (!(clock instanceof ManualClock)) {
        return jsonAnswer(409, { message: `the clock is ${clock.mode}; start with --clock manual to move it` });
      }
      const settle = () => deps.activity.settled();
      let move: () => Promise<Date>;
      if (route === 'POST /_local/clock/advance') {
        const parsed = parseBody(advanceSchema, body);
        if ('error' in parsed) return parsed.error;
        move = () => clock.advance(parsed.value.seconds, settle);
      } else {
        const parsed = parseBody(setSchema, body);
        if ('error' in parsed) return parsed.error;
        move = () => clock.advanceTo(Date.parse(parsed.value.at), settle);
      }
      try {
        return jsonAnswer(200, { now: (await move()).toISOString() });
      } catch (error) {
        if (error instanceof ClockBackwardsError) return jsonAnswer(409, { message: error.message });
        // The stack did not settle (work stuck or looping): say so rather than answer early.
        return jsonAnswer(503, { message: (error as Error).message });
      }
    }
    if (route === 'POST /_local/tokens') {
      const parsed = parseBody(tokenSchema, body);
      if ('error' in parsed) return parsed.error;
      const { role, marketplace, marketplaces, subject } = parsed.value;
      const grant = marketplaces ?? (marketplace ? [marketplace] : ['*']);
      const token = await deps.jwt.sign({ subject: subject ?? `local-${role}`, role, marketplaces: grant.join(' ') });
      return jsonAnswer(200, { token });
    }
    if (route === 'POST /_local/faults') {
      const parsed = parseBody(faultSchema, body);
      if ('error' in parsed) return parsed.error;
      deps.faults.failNext(parsed.value.operation, parsed.value.times);
      return jsonAnswer(200, { operation: parsed.value.operation, failingNext: parsed.value.times });
    }
    return undefined;
  };
}

function parseBody<T>(schema: z.ZodType<T>, body: Buffer) {
  let raw: unknown;
  try {
    raw = JSON.parse(body.toString('utf8') || 'null');
  } catch (error) {
    return { error: jsonAnswer(400, { message: `malformed JSON body: ${(error as Error).message}` }) };
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    const detail = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    return { error: jsonAnswer(400, { message: `invalid body: ${detail}` }) };
  }
  return { value: result.data };
}
