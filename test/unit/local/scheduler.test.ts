import { ManualClock } from '../../../infra/local/clock/manual-clock';
import { LocalScheduler } from '../../../infra/local/scheduler';

const START = Date.parse('2026-01-01T00:00:00.000Z');

describe('LocalScheduler', () => {
  it('runs a job every period with the Scheduled Event shape', async () => {
    const clock = new ManualClock(START);
    const scheduler = new LocalScheduler(clock);
    const events: { time: string; 'detail-type': string }[] = [];
    scheduler.every('sweep', 1, async (event) => void events.push(event as (typeof events)[number]), fail);

    await clock.advance(59);
    expect(events).toHaveLength(0);
    await clock.advance(1);
    await clock.advance(60);
    expect(events.map((event) => event.time)).toEqual(['2026-01-01T00:01:00Z', '2026-01-01T00:02:00Z']);
    expect(events[0]!['detail-type']).toBe('Scheduled Event');
    scheduler.stop();
  });

  it('catches up once at the end of a long jump instead of once per missed period', async () => {
    const clock = new ManualClock(START);
    const scheduler = new LocalScheduler(clock);
    const times: string[] = [];
    scheduler.every('sweep', 1, async (event) => void times.push((event as { time: string }).time), fail);

    await clock.advance(30 * 86_400);

    expect(times).toEqual(['2026-01-01T00:01:00Z', '2026-01-31T00:00:00Z']);
    scheduler.stop();
  });

  it('stops running jobs once stopped', async () => {
    const clock = new ManualClock(START);
    const scheduler = new LocalScheduler(clock);
    const job = jest.fn(async () => undefined);
    scheduler.every('sweep', 1, job, fail);
    scheduler.stop();
    await clock.advance(600);
    expect(job).not.toHaveBeenCalled();
  });
});

function fail(error: unknown): never {
  throw error;
}
