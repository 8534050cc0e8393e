import { z } from 'zod';
import { ROLES } from '@shared/auth/caller';
import type { ActivityTracker } from './activity';
import type { LocalClock } from './clock/local-clock';
import { ManualClock } from './clock/manual-clock';
import type { DevJwtKey } from './dev-jwt';
import { jsonAnswer, type LocalRoute } from './http/local-http-server';

const advanceSchema = z.object({ seconds: z.number().finite().min(0) });
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
 * - `POST /_local/tokens` `{"role", "marketplace"}` → `{"token"}`, a dev JWT
 */
export function createControlRoutes(deps: { clock: LocalClock; activity: ActivityTracker; jwt: DevJwtKey }): LocalRoute {
  return async ({ method, path, body }) => {
    const route = `${method} ${path}`;
    if (route === 'GET /_local/clock') {
      return jsonAnswer(200, { now: deps.clock.now().toISOString(), mode: deps.clock.mode });
    }
    if (route === 'POST /_local/clock/advance') {
      if (!(deps.clock instanceof ManualClock)) {
        return jsonAnswer(409, { message: `the clock is ${deps.clock.mode}; start with --clock manual to advance it` });
      }
      const parsed = parseBody(advanceSchema, body);
      if ('error' in parsed) return parsed.error;
      try {
        const now = await deps.clock.advance(parsed.value.seconds, () => deps.activity.settled());
        return jsonAnswer(200, { now: now.toISOString() });
      } catch (error) {
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
