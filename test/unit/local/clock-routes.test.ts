import type { ActivityTracker } from '../../../infra/local/activity';
import { ManualClock } from '../../../infra/local/clock/manual-clock';
import { TimedClock } from '../../../infra/local/clock/timed-clock';
import type { LocalClock } from '../../../infra/local/clock/local-clock';
import { createControlRoutes } from '../../../infra/local/control-routes';
import type { DevJwtKey } from '../../../infra/local/dev-jwt';
import { InjectedFaults } from '../../../infra/local/stepfunctions';

const START = Date.parse('2026-11-13T09:00:00.000Z');
const settledActivity = { settled: async () => {} } as unknown as ActivityTracker;

async function post(clock: LocalClock, path: string, body: string) {
  const routes = createControlRoutes({ clock, activity: settledActivity, jwt: {} as DevJwtKey, faults: new InjectedFaults() });
  const answer = await routes({ method: 'POST', path, body: Buffer.from(body) });
  return { status: answer!.statusCode, body: JSON.parse(answer!.body.toString('utf8')) as Record<string, unknown> };
}

describe('POST /_local/clock/set', () => {
  it('moves the manual clock to the moment given (with its offset), firing due timers', async () => {
    const clock = new ManualClock(START);
    const fired: string[] = [];
    clock.schedule(Date.parse('2026-11-13T10:00:00Z'), () => fired.push(clock.now().toISOString()));
    expect(await post(clock, '/_local/clock/set', '{"at": "2026-11-13T17:55:00+08:00"}')).toEqual({ status: 200, body: { now: '2026-11-13T09:55:00.000Z' } });
    expect(await post(clock, '/_local/clock/set', '{"at": "2026-11-14T00:00:00Z"}')).toEqual({ status: 200, body: { now: '2026-11-14T00:00:00.000Z' } });
    expect(fired).toEqual(['2026-11-13T10:00:00.000Z']);
  });

  it('refuses to move back with 409 and leaves the clock', async () => {
    const clock = new ManualClock(START);
    expect(await post(clock, '/_local/clock/set', '{"at": "2026-11-12T00:00:00Z"}')).toEqual({
      status: 409,
      body: { message: 'the clock only moves forward: it is at 2026-11-13T09:00:00.000Z, after 2026-11-12T00:00:00.000Z' },
    });
    expect(clock.nowMs()).toBe(START);
  });

  it.each([
    ['{"at": "next friday"}', 'invalid body: at: Invalid ISO datetime'],
    ['{"at": "2026-02-30T10:00:00Z"}', 'invalid body: at: Invalid ISO datetime'],
    ['{}', 'invalid body: at: Invalid input: expected string, received undefined'],
    ['soon', 'malformed JSON body: Unexpected token \'s\', "soon" is not valid JSON'],
  ])('answers 400 to %s', async (body, message) => {
    const clock = new ManualClock(START);
    expect(await post(clock, '/_local/clock/set', body)).toEqual({ status: 400, body: { message } });
    expect(clock.nowMs()).toBe(START);
  });

  it('answers 409 when the clock is not manual', async () => {
    const clock = new TimedClock(1);
    try {
      expect(await post(clock, '/_local/clock/set', '{"at": "2030-01-01T00:00:00Z"}')).toEqual({
        status: 409,
        body: { message: 'the clock is real; start with --clock manual to move it' },
      });
    } finally {
      clock.dispose();
    }
  });
});
